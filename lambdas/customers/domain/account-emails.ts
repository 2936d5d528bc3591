// The emails accounts send. Each says its token on a line of its own ("Token: ..."), so a person (or a script
// reading the local outbox) can find it without following a link.
import type { EmailMessage } from '../../shared/ports.js';

export function verificationEmail(to: string, token: string, apiBase: string, validHours: number): EmailMessage {
  return {
    to,
    subject: 'Confirm your email address for Codex',
    text: [
      'Welcome to Codex.',
      '',
      `To confirm your email address, send this token to ${apiBase}/api/v1/auth/verify-email as {"token": "..."}:`,
      '',
      `Token: ${token}`,
      '',
      `It works once, within ${validHours} hours. Until then you can sign in and look around, but not top up or order.`,
      'If you did not create an account, ignore this email.',
    ].join('\n'),
  };
}

export function alreadyRegisteredEmail(to: string, apiBase: string): EmailMessage {
  return {
    to,
    subject: 'You already have a Codex account',
    text: [
      'Someone (probably you) tried to create a Codex account with this email address, which already has one.',
      '',
      `Sign in with your password, or reset it: ${apiBase}/api/v1/auth/forgot-password {"email": "..."}.`,
      'If it was not you, nothing changed and you can ignore this email.',
    ].join('\n'),
  };
}

export function passwordResetEmail(to: string, token: string, apiBase: string, validMinutes: number): EmailMessage {
  return {
    to,
    subject: 'Reset your Codex password',
    text: [
      `To choose a new password, send this token with it to ${apiBase}/api/v1/auth/reset-password as {"token": "...", "password": "..."}:`,
      '',
      `Token: ${token}`,
      '',
      `It works once, within ${validMinutes} minutes. Resetting signs you out everywhere.`,
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
  };
}
