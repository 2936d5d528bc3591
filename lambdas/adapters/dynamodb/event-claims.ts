// Claims of events by consumers (EventClaims): `EVENT#<id>` / `CLAIM#<consumer>`, one conditional write each way.
// Kept 35 days (TTL), longer than any redelivery: the stream keeps records 24 h, the queues 4 days, and the bus's
// archive 30 days (EVENT_ARCHIVE_DAYS), so a replay of the archive repeats no email, webhook or alert.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimState, EventClaims } from '../../events/ports.js';
import type { Clock } from '../../shared/ports.js';
import { keys } from './keys.js';
import { EVENT_ARCHIVE_DAYS } from '../../events/event-types.js';

const KEEP_SECONDS = (EVENT_ARCHIVE_DAYS + 5) * 24 * 3600;

export class DynamoEventClaims implements EventClaims {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async claim(consumer: string, eventId: string, leaseMs: number): Promise<ClaimState> {
    return (await this.claimAttempt(consumer, eventId, leaseMs)).state;
  }

  async claimAttempt(consumer: string, eventId: string, leaseMs: number): Promise<{ state: ClaimState; failures: number }> {
    const now = this.clock.now().getTime();
    try {
      // An update, not a put: the failures counted by earlier holders stay, and come back in the same write.
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.eventClaim(eventId, consumer),
          UpdateExpression: 'SET entity = :entity, #state = :claimed, leaseUntil = :until, expiresAt = :expires',
          // A new claim, one given back, or one whose holder's lease ran out (it died mid-way).
          ConditionExpression: 'attribute_not_exists(pk) OR #state = :released OR (#state = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':entity': 'event-claim',
            ':claimed': 'claimed',
            ':released': 'released',
            ':until': now + leaseMs,
            ':now': now,
            ':expires': Math.floor(now / 1000) + KEEP_SECONDS,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { state: 'claimed', failures: Number(Attributes?.failures ?? 0) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        return { state: error.Item?.state?.S === 'done' ? 'done' : 'busy', failures: Number(error.Item?.failures?.N ?? 0) };
      throw error;
    }
  }

  async done(consumer: string, eventId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.eventClaim(eventId, consumer),
        UpdateExpression: 'SET #state = :done REMOVE leaseUntil',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done' },
      }),
    );
  }

  async release(consumer: string, eventId: string, options: { failed?: boolean } = {}): Promise<void> {
    const values: Record<string, unknown> = { ':claimed': 'claimed', ':released': 'released' };
    if (options.failed) values[':one'] = 1;
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.eventClaim(eventId, consumer),
          UpdateExpression: `SET #state = :released REMOVE leaseUntil${options.failed ? ' ADD failures :one' : ''}`,
          // Only a live claim: what is done stays done.
          ConditionExpression: '#state = :claimed',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: values,
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }
}
