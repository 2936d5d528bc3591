// The cabinet's notification feed: an event becomes its owner's notification (once per event id), the owner reads
// the feed newest first and marks notifications read.
import type { CatalogueEvent } from '../../events/catalogue.js';
import { logger } from '../../shared/logger.js';
import { notificationOf, type StoredNotification } from '../domain/notification-feed.js';
import type { NotificationFeed } from '../ports.js';

export interface FeedDeps {
  feed: NotificationFeed;
}

/** Writes the event's notification, unless the feed does not show this type or already has it. */
export async function recordNotification(deps: FeedDeps, event: CatalogueEvent): Promise<'added' | 'duplicate' | 'expired' | 'not_shown'> {
  const notification = notificationOf(event);
  if (!notification) return 'not_shown';
  const outcome = await deps.feed.add(notification);
  if (outcome !== 'added') logger.info('notification not added', { eventId: event.id, type: event.type, userId: notification.userId, outcome });
  return outcome;
}

export function listNotifications(
  deps: FeedDeps,
  userId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: StoredNotification[]; unread: number; nextCursor: string | null }> {
  return deps.feed.list(userId, page);
}

/** Marks some of the user's notifications read, or all of them; answers the unread count after. */
export function markNotificationsRead(deps: FeedDeps, userId: string, which: { ids: readonly string[] } | { all: true }): Promise<number> {
  return 'all' in which ? deps.feed.markAllRead(userId) : deps.feed.markRead(userId, which.ids);
}
