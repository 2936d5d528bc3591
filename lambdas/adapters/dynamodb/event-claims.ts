// Claims of events by consumers (EventClaims): `EVENT#<id>` / `CLAIM#<consumer>`, one conditional write each way.
// Kept 35 days (TTL), longer than any redelivery: the stream keeps records 24 h, the queues 4 days, and the bus's
// archive 30 days (EVENT_ARCHIVE_DAYS), so a replay of the archive repeats no email, webhook or alert.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EventClaims } from '../../events/ports.js';
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

  async claim(consumer: string, eventId: string, leaseMs: number): Promise<'claimed' | 'done' | 'busy'> {
    const now = this.clock.now().getTime();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.eventClaim(eventId, consumer),
            entity: 'event-claim',
            state: 'claimed',
            leaseUntil: now + leaseMs,
            expiresAt: Math.floor(now / 1000) + KEEP_SECONDS,
          },
          // A new claim, or one whose holder's lease ran out (it died mid-way).
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return error.Item?.state?.S === 'done' ? 'done' : 'busy';
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

  async release(consumer: string, eventId: string): Promise<void> {
    await this.db
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.eventClaim(eventId, consumer),
          ConditionExpression: '#state = :claimed',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }
}
