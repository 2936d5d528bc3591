// Events (docs/events.md): the table stream's second reader, publishEvents, which turns committed changes into the
// catalogue's events on the bus; the bus's archive; and for each subscription (SUBSCRIPTIONS in lambdas/functions.ts)
// a rule, a queue with its dead-letter queue, and the consumer function reading that queue.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionName, SUBSCRIPTIONS, type SubscriptionSpec } from '../lambdas/functions.js';
import { CATALOGUE_SOURCE } from '../lambdas/adapters/eventbridge/event-bridge-publisher.js';
import { EVENT_ARCHIVE_DAYS } from '../lambdas/events/event-types.js';
import { CodexFunction } from './codex-function.js';
import { acknowledgeDeadLetterQueue, acknowledgeSynchronousInvocation } from './operations/nag.js';

/** The items whose changes give events (`eventsFromChange`); the rest of the table's writes never reach the function. */
export const EVENT_ENTITIES = ['order', 'top-up', 'api-key-listing', 'wallet'] as const;

export interface EventsProps {
  table: ITableV2;
  bus: IEventBus;
  environment: Record<string, string>;
  logRemovalPolicy: RemovalPolicy;
  /** Keep the queues (and what waits in them) when the stack is deleted. */
  retain?: boolean;
}

export interface EventConsumer {
  spec: SubscriptionSpec;
  function: CodexFunction;
  queue: Queue;
  deadLetters: Queue;
  rule: Rule;
}

export class Events extends Construct {
  readonly publishEvents: CodexFunction;
  /** Stream records whose events could not be published after every retry (their position, not their content). */
  readonly publishFailures: Queue;
  /** Events the bus could not hand to a consumer's queue (after EventBridge's own retries). */
  readonly routingFailures: Queue;
  readonly consumers = new Map<FunctionName, EventConsumer>();

  constructor(scope: Construct, id: string, props: EventsProps) {
    super(scope, id);
    const { table, bus, environment, logRemovalPolicy } = props;
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.publishEvents = new CodexFunction(this, 'publishEvents', { spec: FUNCTIONS.publishEvents, environment, logRemovalPolicy });
    bus.grantPutEventsTo(this.publishEvents);
    // The owner's low-balance threshold, on the user's profile.
    table.grantReadData(this.publishEvents);

    this.publishFailures = new Queue(this, 'PublishEventsFailures', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledgeDeadLetterQueue(this.publishFailures, "the on-failure destination of publishEvents' stream mapping");
    acknowledgeSynchronousInvocation(this.publishEvents, 'its stream mapping (failed batches go to PublishEventsFailures)');
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

    // Every catalogue event, kept for replay (EventBridge archives; a replay sends them to the same rules again, and
    // consumers dedupe by event id).
    bus.archive('Archive', {
      description: 'Catalogue events, for replay to the consumers',
      eventPattern: { source: [CATALOGUE_SOURCE] },
      retention: Duration.days(EVENT_ARCHIVE_DAYS),
    });

    this.routingFailures = new Queue(this, 'RoutingFailures', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy,
    });
    acknowledgeDeadLetterQueue(this.routingFailures, "the rules' target dead-letter queue: events the bus could not deliver to a consumer's queue");
    for (const spec of SUBSCRIPTIONS) this.consumers.set(spec.function, this.subscribe(spec, bus, environment, logRemovalPolicy, removalPolicy));
  }

  private subscribe(
    spec: SubscriptionSpec,
    bus: IEventBus,
    environment: Record<string, string>,
    logRemovalPolicy: RemovalPolicy,
    removalPolicy: RemovalPolicy,
  ): EventConsumer {
    const scope = new Construct(this, spec.function);
    const deadLetters = new Queue(scope, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy,
    });
    acknowledgeDeadLetterQueue(deadLetters, `the redrive target of ${spec.function}'s queue`);
    const queue = new Queue(scope, 'Queue', {
      visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
      // Longer than the longest retry schedule a consumer keeps a message for (webhooks: about 28 h).
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: spec.maxReceiveCount },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy,
    });
    const rule = new Rule(scope, 'Rule', {
      eventBus: bus,
      description: `Catalogue events for ${spec.function}`,
      eventPattern: { source: [CATALOGUE_SOURCE], detailType: [...spec.eventTypes] },
      targets: [new SqsQueue(queue, { deadLetterQueue: this.routingFailures, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });
    const fn = new CodexFunction(scope, 'Function', { spec: FUNCTIONS[spec.function], environment, logRemovalPolicy });
    fn.addEventSource(
      new SqsEventSource(queue, {
        batchSize: spec.batchSize,
        maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
        reportBatchItemFailures: true,
      }),
    );
    acknowledgeSynchronousInvocation(fn, 'its SQS mapping (a message that keeps failing moves to DeadLetters)');
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason: "An SQS mapping takes no on-failure destination: the queue's redrive policy moves failing messages to DeadLetters",
    });
    return { spec, function: fn, queue, deadLetters, rule };
  }
}
