// REST v1 operations: accounts and sessions (registration, email verification, login, refresh, logout, password
// reset) and the public keys that check access tokens.
import * as z from 'zod/mini';
import { type Operation, operation } from '../operation.js';

const Email = z.string().check(z.minLength(3), z.maxLength(254)).register(z.globalRegistry, { example: 'ann@example.com' });
// Long enough for the rules to speak: the use case states them when a password breaks one.
const Password = z
  .string()
  .check(z.minLength(1), z.maxLength(1024))
  .register(z.globalRegistry, { description: '10 to 128 characters, at least two kinds (letters, digits, others), not the email' });
const OneTimeToken = z.string().check(z.minLength(16), z.maxLength(200)).register(z.globalRegistry, { description: 'The token from the email' });

export const TokenPair = z
  .object({
    accessToken: z.string().register(z.globalRegistry, { description: 'JWT (EdDSA), sent as `Authorization: Bearer <token>`' }),
    refreshToken: z.string().register(z.globalRegistry, { description: 'Opaque; spent by POST /auth/refresh, which returns the next one' }),
    expiresIn: z.int().register(z.globalRegistry, { description: 'Seconds the access token is valid (900)' }),
  })
  .register(z.globalRegistry, { id: 'TokenPair' });

const Accepted = z.object({ status: z.literal('accepted'), message: z.string() }).register(z.globalRegistry, { id: 'Accepted' });

const Jwks = z
  .object({
    keys: z.array(
      z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') }),
    ),
  })
  .register(z.globalRegistry, { id: 'Jwks' });

export const register = operation({
  method: 'POST',
  path: '/api/v1/auth/register',
  auth: 'none',
  tag: 'Auth',
  summary: 'Create an account',
  description:
    'Answers 202 alike whether or not the email already has an account (so nobody learns which addresses do); the email says which. A new account gets a verification email and can sign in at once; it may top up and order once verified.',
  body: z.object({ email: Email, password: Password, name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))) }),
  responses: { 202: { description: 'Check your inbox', body: Accepted } },
});

export const verifyEmail = operation({
  method: 'POST',
  path: '/api/v1/auth/verify-email',
  auth: 'none',
  tag: 'Auth',
  summary: 'Confirm the email address with the token from the verification email',
  description: 'Access tokens issued before carry email_verified false until refreshed (POST /auth/refresh).',
  body: z.object({ token: OneTimeToken }),
  responses: { 200: { description: 'Verified', body: z.object({ emailVerified: z.literal(true) }) } },
});

export const login = operation({
  method: 'POST',
  path: '/api/v1/auth/login',
  auth: 'none',
  tag: 'Auth',
  summary: 'Sign in',
  description:
    'Repeated failures for one email or from one address make further attempts wait (429 with Retry-After), whether or not the email has an account.',
  body: z.object({ email: Email, password: z.string().check(z.minLength(1), z.maxLength(1024)) }),
  responses: { 200: { description: 'A new session', body: TokenPair } },
  errors: [401, 403, 429],
});

export const refresh = operation({
  method: 'POST',
  path: '/api/v1/auth/refresh',
  auth: 'none',
  tag: 'Auth',
  summary: 'Exchange a refresh token for new tokens',
  description: 'Each refresh token works once. Using one again ends the whole session: sign in again.',
  body: z.object({ refreshToken: z.string().check(z.minLength(1), z.maxLength(400)) }),
  responses: { 200: { description: 'The next tokens', body: TokenPair } },
  errors: [401],
});

export const logout = operation({
  method: 'POST',
  path: '/api/v1/auth/logout',
  auth: 'none',
  tag: 'Auth',
  summary: 'End a session',
  description: 'Ends the session of the refresh token in the body, or else of the access token in the Authorization header. Answers 204 either way.',
  body: z.object({ refreshToken: z.optional(z.string().check(z.minLength(1), z.maxLength(400))) }),
  responses: { 204: { description: 'Signed out' } },
});

export const forgotPassword = operation({
  method: 'POST',
  path: '/api/v1/auth/forgot-password',
  auth: 'none',
  tag: 'Auth',
  summary: 'Ask for a password reset email',
  description: 'Answers 202 alike whether or not the email has an account.',
  body: z.object({ email: Email }),
  responses: { 202: { description: 'If the account exists, an email is on its way', body: Accepted } },
});

export const resetPassword = operation({
  method: 'POST',
  path: '/api/v1/auth/reset-password',
  auth: 'none',
  tag: 'Auth',
  summary: 'Set a new password with the token from the reset email',
  description: 'Ends every session of the account.',
  body: z.object({ token: OneTimeToken, password: Password }),
  responses: { 204: { description: 'Password changed; sign in again' } },
});

export const jwks = operation({
  method: 'GET',
  path: '/api/v1/.well-known/jwks.json',
  auth: 'none',
  tag: 'Auth',
  summary: 'The public keys that check access tokens',
  responses: { 200: { description: 'JSON Web Key Set', body: Jwks } },
});

export const authOperations: readonly Operation[] = [register, verifyEmail, login, refresh, logout, forgotPassword, resetPassword, jwks];
