// sendNotificationEmails: the bus's order, deposit, balance and API key events, from its SQS queue, emailed to their
// owners (docs/notifications.md). A delivery that finds another one of the same event mid-send comes back later.
import { RetryLater, eventConsumer } from '../../events/consumer.js';
import { logger } from '../../shared/logger.js';
import { EMAIL_CONSUMER } from '../application/email-notifications.js';
import { notificationEmails } from '../email-wiring.js';
import { observe } from '../../shared/observability/observe.js';

const sendEmails = eventConsumer(EMAIL_CONSUMER, async (event, receipt) => {
  const result = await notificationEmails().handle(event);
  if (result.outcome === 'busy') throw new RetryLater(result.retryAfterSeconds, 'another delivery of this event is sending its email');
  const ownerId = 'ownerId' in event.data ? event.data.ownerId : undefined;
  const fields = { consumer: EMAIL_CONSUMER, eventId: event.id, type: event.type, ownerId, outcome: result.outcome, receiveCount: receipt.receiveCount };
  if (result.outcome === 'unknown_owner') logger.warn('no email: the event names no known user', fields);
  else logger.info(result.outcome === 'sent' ? 'sent a notification email' : 'no notification email', fields);
});

export const handler = observe(sendEmails);
