// Events' publication: the table stream's second reader, publishEvents, which turns committed changes into the
// catalogue's events on the bus (docs/events.md). Rules, queues and consumers come with the next slice.
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../lambdas/functions.js';
import { CodexFunction } from './codex-function.js';

/** The items whose changes give events (`eventsFromChange`); the rest of the table's writes never reach the function. */
export const EVENT_ENTITIES = ['order', 'top-up', 'api-key-listing', 'wallet'] as const;

export interface EventsProps {
  table: ITableV2;
  bus: IEventBus;
  environment: Record<string, string>;
  logRemovalPolicy: RemovalPolicy;
}

export class Events extends Construct {
  readonly publishEvents: CodexFunction;
  /** Stream records whose events could not be published after every retry (their position, not their content). */
  readonly publishFailures: Queue;

  constructor(scope: Construct, id: string, props: EventsProps) {
    super(scope, id);
    const { table, bus, environment, logRemovalPolicy } = props;
    this.publishEvents = new CodexFunction(this, 'publishEvents', { spec: FUNCTIONS.publishEvents, environment, logRemovalPolicy });
    bus.grantPutEventsTo(this.publishEvents);
    // The owner's low-balance threshold, on the user's profile.
    table.grantReadData(this.publishEvents);

    this.publishFailures = new Queue(this, 'PublishEventsFailures', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.publishEvents.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        maxBatchingWindow: Duration.millis(0),
        bisectBatchOnError: true,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.publishFailures),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { NewImage: { entity: { S: FilterRule.or(...EVENT_ENTITIES) } } },
          }),
        ],
      }),
    );
  }
}
