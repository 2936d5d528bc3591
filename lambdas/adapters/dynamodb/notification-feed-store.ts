// The notification feed in the table (docs/data-model.md, "Notification feed"): under `USER#<id>`, each notification
// `NOTIFICATION#<at>#<eventId>`, a pointer `NOTIFICATION_ID#<eventId>` (marking by id needs the time), and the counts
// `NOTIFICATIONS`: unread per day of event (`u<YYYYMMDD>`), `readBefore` (the last mark-all point) and `added`.
// Every change of an unread state moves a count in the same transaction, so the count is exact; unread counts per
// day let notifications leave with their day (TTL) without a write, and "mark all" is one write however long the feed.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  dayOf,
  type FeedEventType,
  type FeedNotification,
  feedExpiry,
  oldestFeedDay,
  type StoredNotification,
} from '../../notifications/domain/notification-feed.js';
import type { NotificationFeed } from '../../notifications/ports.js';
import { DomainError } from '../../shared/errors.js';
import type { Clock } from '../../shared/ports.js';
import { keys } from './keys.js';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

const COUNT = /^u(\d{4})(\d{2})(\d{2})$/;
const countName = (day: string) => `u${day.replaceAll('-', '')}`;
const CURSOR = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[^#]{1,100}$/;
/** A transaction refused because another one held an item: tried again after a short, growing, jittered pause. */
const ATTEMPTS = 8;
/** Items of one transaction: at most 100, one of them the counts. */
const MARK_CHUNK = 99;

interface Counts {
  readBefore?: string;
  added: number;
  /** Unread per day of event, days still in the feed and days gone alike. */
  perDay: Map<string, number>;
}

export class DynamoNotificationFeed implements NotificationFeed {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async add(notification: FeedNotification): Promise<'added' | 'duplicate' | 'expired'> {
    const { userId, id, at } = notification;
    const day = dayOf(at);
    if (day < oldestFeedDay(this.clock.now())) return 'expired';
    const expiresAt = feedExpiry(day);
    const { userId: _user, ...fields } = notification;
    const writes = (read: boolean): TransactItems => [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.notificationPointer(userId, id), entity: 'notification-pointer', id, at, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.notification(userId, at, id), entity: 'notification', ...fields, read, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    const counts = { TableName: this.tableName, Key: keys.notificationCounts(userId) };
    // Unread, counted on its day: unless the user marked all read at or after its time (it arrived late).
    const unread = await this.transact([
      ...writes(false),
      {
        Update: {
          ...counts,
          UpdateExpression: 'SET #day = if_not_exists(#day, :zero) + :one, entity = :entity ADD added :one',
          ConditionExpression: 'attribute_not_exists(readBefore) OR readBefore < :at',
          ExpressionAttributeNames: { '#day': countName(day) },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':at': at, ':entity': 'notification-counts' },
        },
      },
    ]);
    if (unread === 'ok') return 'added';
    if (unread.has(0) || unread.has(1)) return 'duplicate';
    // `readBefore` only moves forward, so once past this notification it stays past it.
    const read = await this.transact([
      ...writes(true),
      { ConditionCheck: { ...counts, ConditionExpression: 'readBefore >= :at', ExpressionAttributeValues: { ':at': at } } },
    ]);
    if (read === 'ok') return 'added';
    if (read.has(0) || read.has(1)) return 'duplicate';
    throw new Error('notification feed: the mark-all point moved back');
  }

  async list(userId: string, options: { limit: number; cursor?: string }): Promise<{ items: StoredNotification[]; unread: number; nextCursor: string | null }> {
    const oldest = oldestFeedDay(this.clock.now());
    const after = options.cursor === undefined ? undefined : cursorPosition(options.cursor);
    const [page, counts] = await Promise.all([this.newestFirst(userId, oldest, options.limit + 1, after), this.counts(userId)]);
    const found = page.Items ?? [];
    const items = found.slice(0, options.limit).map((item) => toNotification(userId, item, counts.readBefore));
    const last = items.at(-1);
    const more = found.length > options.limit;
    await this.forgetGoneDays(userId, counts, oldest);
    return {
      items,
      unread: unreadIn(counts, oldest),
      nextCursor: more && last ? Buffer.from(`${last.at}#${last.id}`).toString('base64url') : null,
    };
  }

  async markRead(userId: string, ids: readonly string[]): Promise<number> {
    let pending = [...new Set(ids)];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const oldest = oldestFeedDay(this.clock.now());
      const [counts, times] = await Promise.all([this.counts(userId), this.timesOf(userId, pending)]);
      // Unread candidates: in the feed, after the mark-all point (whatever its flag says, one before it is read).
      const candidates = pending
        .map((id) => ({ id, at: times.get(id) }))
        .filter((c): c is { id: string; at: string } => c.at !== undefined && dayOf(c.at) >= oldest && (!counts.readBefore || c.at > counts.readBefore));
      if (candidates.length === 0) return unreadIn(counts, oldest);
      const chunk = candidates.slice(0, MARK_CHUNK);
      const failed = await this.transact(this.markWrites(userId, chunk, counts.readBefore));
      if (failed === 'ok') {
        const done = new Set(chunk.map((c) => c.id));
        pending = candidates.filter((c) => !done.has(c.id)).map((c) => c.id);
      } else {
        // Those already read are left out; a moved mark-all point (the counts' refusal) is read again next round.
        const already = new Set(chunk.filter((_, i) => failed.has(i)).map((c) => c.id));
        pending = candidates.filter((c) => !already.has(c.id)).map((c) => c.id);
        if (attempt >= ATTEMPTS + ids.length) throw new Error('notification feed: marking kept losing races');
      }
    }
    return unreadIn(await this.counts(userId), oldestFeedDay(this.clock.now()));
  }

  async markAllRead(userId: string): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const oldest = oldestFeedDay(this.clock.now());
      const [counts, newest] = await Promise.all([this.counts(userId), this.newestFirst(userId, oldest, 1)]);
      const newestAt = newest.Items?.[0]?.at as string | undefined;
      if (newestAt === undefined || unreadIn(counts, oldest) === 0) return unreadIn(counts, oldest);
      const point = counts.readBefore && counts.readBefore > newestAt ? counts.readBefore : newestAt;
      const names = Object.fromEntries([...counts.perDay.keys()].map((day, i) => [`#d${i}`, countName(day)]));
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.notificationCounts(userId),
            UpdateExpression: `SET readBefore = :point${Object.keys(names).length ? ` REMOVE ${Object.keys(names).join(', ')}` : ''}`,
            // Nothing added since the counts were read: a newer notification would be counted yet left above the point.
            ConditionExpression: 'added = :added',
            ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
            ExpressionAttributeValues: { ':point': point, ':added': counts.added },
          }),
        );
        return 0;
      } catch (error) {
        const lostRace = (error as Error).name === 'ConditionalCheckFailedException' || (error as Error).name === 'TransactionConflictException';
        if (!lostRace || attempt >= ATTEMPTS * 4) throw error;
        await pause(attempt);
      }
    }
  }

  /** Notifications of the days kept, newest first, from below `after` (a sort key position) when given. */
  private newestFirst(userId: string, oldest: string, limit: number, after?: string) {
    const { pk } = keys.notificationCounts(userId);
    return this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': `${keys.notificationPrefix}${oldest}`, ':to': `${keys.notificationPrefix}~` },
        ...(after ? { ExclusiveStartKey: { pk, sk: `${keys.notificationPrefix}${after}` } } : {}),
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
  }

  private markWrites(userId: string, chunk: { id: string; at: string }[], readBefore: string | undefined): TransactItems {
    const perDay = new Map<string, number>();
    for (const c of chunk) perDay.set(dayOf(c.at), (perDay.get(dayOf(c.at)) ?? 0) + 1);
    const days = [...perDay];
    return [
      ...chunk.map((c) => ({
        Update: {
          TableName: this.tableName,
          Key: keys.notification(userId, c.at, c.id),
          UpdateExpression: 'SET #read = :true',
          ConditionExpression: '#read = :false',
          ExpressionAttributeNames: { '#read': 'read' },
          ExpressionAttributeValues: { ':true': true, ':false': false },
        },
      })),
      {
        Update: {
          TableName: this.tableName,
          Key: keys.notificationCounts(userId),
          UpdateExpression: `SET ${days.map((_, i) => `#d${i} = if_not_exists(#d${i}, :zero) - :n${i}`).join(', ')}`,
          ConditionExpression: readBefore ? 'readBefore = :point' : 'attribute_not_exists(readBefore)',
          ExpressionAttributeNames: Object.fromEntries(days.map(([day], i) => [`#d${i}`, countName(day)])),
          ExpressionAttributeValues: {
            ':zero': 0,
            ...Object.fromEntries(days.map(([, n], i) => [`:n${i}`, n])),
            ...(readBefore ? { ':point': readBefore } : {}),
          },
        },
      },
    ];
  }

  /** 'ok', or the indexes of the items whose condition failed. Conflicts with other transactions are tried again. */
  private async transact(items: TransactItems): Promise<'ok' | Set<number>> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return 'ok';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = new Set(reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : [])));
        if (failed.size > 0) return failed;
        if (!reasons.some((r) => r.Code === 'TransactionConflict') || attempt >= ATTEMPTS) throw error;
        await pause(attempt);
      }
    }
  }

  private async counts(userId: string): Promise<Counts> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.notificationCounts(userId), ConsistentRead: true }));
    const perDay = new Map<string, number>();
    for (const [name, value] of Object.entries(Item ?? {})) {
      const m = COUNT.exec(name);
      if (m) perDay.set(`${m[1]}-${m[2]}-${m[3]}`, Number(value));
    }
    return { ...(typeof Item?.readBefore === 'string' ? { readBefore: Item.readBefore } : {}), added: Number(Item?.added ?? 0), perDay };
  }

  /** The event times of these notification ids of the user (from their pointers); unknown ids are absent. */
  private async timesOf(userId: string, ids: readonly string[]): Promise<Map<string, string>> {
    const times = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [this.tableName]: { Keys: ids.slice(i, i + 100).map((id) => keys.notificationPointer(userId, id)), ConsistentRead: true },
      };
      for (let round = 1; request && Object.keys(request).length > 0; round++) {
        const answer = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of answer.Responses?.[this.tableName] ?? []) times.set(String(item.id), String(item.at));
        request = answer.UnprocessedKeys as typeof request;
        if (request && Object.keys(request).length > 0) await pause(round);
      }
    }
    return times;
  }

  /** Counts of days gone from the feed are dropped (no notification of those days can arrive: `add` refuses them). */
  private async forgetGoneDays(userId: string, counts: Counts, oldest: string): Promise<void> {
    const gone = [...counts.perDay.keys()].filter((day) => day < oldest);
    if (gone.length === 0) return;
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notificationCounts(userId),
          UpdateExpression: `REMOVE ${gone.map((_, i) => `#g${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(gone.map((day, i) => [`#g${i}`, countName(day)])),
        }),
      )
      .catch((error: unknown) => {
        // Tidying only: another write holding the item now leaves it to the next reading.
        if ((error as Error).name !== 'TransactionConflictException') throw error;
      });
  }
}

function unreadIn(counts: Counts, oldest: string): number {
  let unread = 0;
  for (const [day, n] of counts.perDay) if (day >= oldest) unread += n;
  return unread;
}

function toNotification(userId: string, item: Record<string, unknown>, readBefore: string | undefined): StoredNotification {
  const at = String(item.at);
  return {
    id: String(item.id),
    userId,
    type: item.type as FeedEventType,
    title: String(item.title),
    text: String(item.text),
    at,
    read: item.read === true || (readBefore !== undefined && at <= readBefore),
    ...(typeof item.orderId === 'number' ? { orderId: item.orderId } : {}),
    ...(typeof item.topUpId === 'string' ? { topUpId: item.topUpId } : {}),
    ...(typeof item.keyId === 'string' ? { keyId: item.keyId } : {}),
  };
}

/** The sort key position (`<at>#<eventId>`) a cursor stands for. */
function cursorPosition(cursor: string): string {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!CURSOR.test(position)) throw new DomainError('invalid_request', 'cursor: not a cursor of this list; use nextCursor as given', 'cursor');
  return position;
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * 2 ** attempt)));
