// Emails the owner of an event about it (sendNotificationEmails): once per event id, however often the event arrives,
// and only as the owner's notification settings ask. Returns what it did; the handler maps `busy` to a later retry.
import type { Account } from '../../customers/ports.js';
import type { CatalogueEvent } from '../../events/catalogue.js';
import type { EventClaims } from '../../events/ports.js';
import type { EmailSender } from '../../shared/ports.js';
import { type EmailSkip, emailView, isEmailed, reasonToSkip } from '../domain/email-notifications.js';
import type { TemplateOverride } from '../../settings/domain/settings.js';
import { renderEmail } from '../templates/render-email.js';

/** The consumer's name in its event claims (and its function's name). */
export const EMAIL_CONSUMER = 'sendNotificationEmails';

/**
 * How long a claim holds off other deliveries of the same event: longer than the function's 30 s timeout, so no
 * invocation still sending can see its claim expire (SES answers in well under a second).
 */
export const EMAIL_CLAIM_LEASE_MS = 60_000;

export interface EmailNotificationDeps {
  accounts: { get(userId: string): Promise<Account | undefined> };
  /** The service's name for order emails; undefined (or a failure) leaves the email with the service's id. */
  serviceName: (serviceId: number) => Promise<string | undefined>;
  claims: Pick<EventClaims, 'claim' | 'done' | 'release'>;
  email: EmailSender;
  /** PUBLIC_API_URL: links to the cabinet; none when absent. */
  apiBase?: string;
  /** Admins' rewordings by event type (settings.templates, cached per container); none when absent or unreadable. */
  templates?: () => Promise<Record<string, TemplateOverride>>;
  /** Told of failures the use case gets past (the email is still sent, or was): for the logs. */
  onError?: (message: string, error: unknown) => void;
}

export type EmailOutcome =
  | { outcome: 'sent' }
  /** Another delivery of this event already sent it. */
  | { outcome: 'duplicate' }
  /** Another delivery holds the claim right now: try again after this long. */
  | { outcome: 'busy'; retryAfterSeconds: number }
  | { outcome: 'not_emailed' | 'unknown_owner' | EmailSkip };

export class SendNotificationEmails {
  private readonly apiBase: string | undefined;

  constructor(private readonly deps: EmailNotificationDeps) {
    this.apiBase = deps.apiBase?.replace(/\/+$/, '') || undefined;
  }

  async handle(event: CatalogueEvent): Promise<EmailOutcome> {
    if (!isEmailed(event)) return { outcome: 'not_emailed' };
    const owner = await this.deps.accounts.get(event.data.ownerId);
    if (!owner) return { outcome: 'unknown_owner' };
    const skip = reasonToSkip(event.type, owner);
    if (skip) return { outcome: skip };

    // Rendered before the claim: a template that throws leaves no claim behind.
    const serviceName = 'orderId' in event.data ? await this.serviceName(event.data.serviceId) : undefined;
    const view = emailView(event, { ...(serviceName ? { serviceName } : {}), ...(this.apiBase ? { apiBase: this.apiBase } : {}) });
    const rendered = renderEmail(view, await this.override(event.type));

    const claim = await this.deps.claims.claim(EMAIL_CONSUMER, event.id, EMAIL_CLAIM_LEASE_MS);
    if (claim === 'done') return { outcome: 'duplicate' };
    if (claim === 'busy') return { outcome: 'busy', retryAfterSeconds: Math.ceil(EMAIL_CLAIM_LEASE_MS / 1000) };
    try {
      await this.deps.email.send({ to: owner.email, ...rendered });
    } catch (error) {
      // Given back so the queue's next delivery sends it; a failed release only delays that until the lease ends.
      await this.deps.claims.release(EMAIL_CONSUMER, event.id).catch((e: unknown) => this.deps.onError?.('could not release an email claim', e));
      throw error;
    }
    // Sent: failing here must not fail the message, whose next delivery would send the email again.
    // Tried twice; after that the claim's lease runs out and only a redelivery of the event (none is due) would resend.
    await this.deps.claims
      .done(EMAIL_CONSUMER, event.id)
      .catch(() => this.deps.claims.done(EMAIL_CONSUMER, event.id))
      .catch((e: unknown) => this.deps.onError?.('sent an email but could not mark its event done', e));
    return { outcome: 'sent' };
  }

  /** A template that fails to render was checked when saved; should one still, the built-in email goes out instead. */
  private async override(type: string): Promise<TemplateOverride> {
    try {
      return (await this.deps.templates?.())?.[type] ?? {};
    } catch (error) {
      this.deps.onError?.('could not read the email templates; sending the built-in one', error);
      return {};
    }
  }

  private async serviceName(serviceId: number): Promise<string | undefined> {
    try {
      return await this.deps.serviceName(serviceId);
    } catch (error) {
      this.deps.onError?.('could not read the service name for an order email', error);
      return undefined;
    }
  }
}
