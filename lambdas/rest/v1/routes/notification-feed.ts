// REST v1 implementations: the caller's notification feed.
import { listNotifications as list, markNotificationsRead as mark } from '../../../notifications/application/notification-feed.js';
import { feedDeps } from '../../../notifications/feed-wiring.js';
import { listNotifications, markNotificationsRead } from '../contract/notification-feed.js';
import { ok, RestError, type RouteImpl, route } from '../http.js';

export const notificationFeedRoutes: readonly RouteImpl[] = [
  route(listNotifications, async (req) => {
    const { items, unread, nextCursor } = await list(feedDeps(), req.caller.userId, {
      limit: req.query.limit,
      ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
    });
    return ok({ items: items.map(({ userId: _user, ...notification }) => notification), unread, nextCursor });
  }),
  route(markNotificationsRead, async (req) => {
    const { ids, all } = req.body;
    if ((ids === undefined) === (all === undefined))
      throw new RestError(400, 'invalid_request', 'Send either ids (the notifications to mark) or all: true', ids === undefined ? 'ids' : 'all');
    const unread = await mark(feedDeps(), req.caller.userId, all ? { all } : { ids: ids ?? [] });
    return ok({ unread });
  }),
];
