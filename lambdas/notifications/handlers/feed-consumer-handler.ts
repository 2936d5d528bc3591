// recordNotifications: the bus's events (SUBSCRIPTIONS in lambdas/functions.ts) into each owner's notification feed.
// No event claim: the feed's conditional write is itself once per event id.
import { eventConsumer } from '../../events/consumer.js';
import { recordNotification } from '../application/notification-feed.js';
import { feedDeps } from '../feed-wiring.js';
import { observe } from '../../shared/observability/observe.js';

const recordInFeeds = eventConsumer('recordNotifications', async (event) => {
  await recordNotification(feedDeps(), event);
});

export const handler = observe(recordInFeeds);
