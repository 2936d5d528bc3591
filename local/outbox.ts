// The local stack's stand-in for SES: account emails are kept (as JSON files in the data folder, or in memory) and
// served at GET /_local/outbox?to=<email>, newest first, so a newcomer or a test can read the token in them.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmailMessage, EmailSender } from '../lambdas/shared/ports.js';

export interface OutboxMessage extends EmailMessage {
  id: string;
  at: string;
  /** The token the message carries (its "Token: ..." line), for scripts. */
  token?: string;
}

export class LocalOutbox implements EmailSender {
  private readonly messages: OutboxMessage[] = [];

  constructor(private readonly dir?: string) {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      try {
        this.messages.push(JSON.parse(readFileSync(join(dir, file), 'utf8')) as OutboxMessage);
      } catch {
        // A file being written when the stack stopped: skipped.
      }
    }
    this.messages.sort((a, b) => a.at.localeCompare(b.at));
  }

  async send(message: EmailMessage): Promise<void> {
    const token = /^Token: (\S+)$/m.exec(message.text)?.[1];
    const stored: OutboxMessage = { id: randomUUID(), at: new Date().toISOString(), ...message, ...(token ? { token } : {}) };
    this.messages.push(stored);
    if (this.dir && existsSync(this.dir))
      writeFileSync(join(this.dir, `${stored.at.replace(/[:.]/g, '-')}-${stored.id}.json`), JSON.stringify(stored, null, 2));
  }

  /** Newest first; only those to `to` (any spelling of the address) when given. */
  list(to?: string): OutboxMessage[] {
    const wanted = to?.trim().toLowerCase();
    return this.messages.filter((m) => !wanted || m.to.toLowerCase() === wanted).reverse();
  }
}
