// The notification feed's adapter, built on first use (see shared/platform.ts). Apart from wiring.ts, which needs
// the webhook sealing key: the feed's functions carry and configure only the table.
import { DynamoNotificationFeed } from '../adapters/dynamodb/notification-feed-store.js';
import { lazy } from '../shared/platform.js';
import { systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import type { FeedDeps } from './application/notification-feed.js';

export const feedDeps: () => FeedDeps = /* @__PURE__ */ lazy(() => ({ feed: new DynamoNotificationFeed(documentClient(), tableName(), systemClock) }));
