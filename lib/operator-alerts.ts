// What tells the operators (docs/operations.md): their SNS topic, which the alertOperators consumer publishes to,
// and a CloudWatch alarm on every dead-letter queue (each consumer's, the stream publication's, the bus's routing
// failures, and any other given), each telling the same topic when its queue holds a message and again when it is empty.
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Events } from './events.js';

export interface OperatorAlertsProps {
  stage: string;
  events: Events;
  /** Other dead-letter queues to alarm on, by name (the order workflow's start failures). */
  deadLetterQueues?: [string, IQueue][];
  /** Subscribed to the topic (the address confirms by email); other subscribers (chat, a bot's webhook) are added by hand. */
  email?: string;
}

export class OperatorAlerts extends Construct {
  readonly topic: Topic;
  /** By the queue's name in the alarm (`<consumer> dead letters`, ...). */
  readonly alarms = new Map<string, Alarm>();

  constructor(scope: Construct, id: string, props: OperatorAlertsProps) {
    super(scope, id);
    const { stage, events } = props;
    this.topic = new Topic(this, 'Topic', { topicName: `codex-${stage}-operators`, displayName: `Codex ${stage} operators` });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS3',
      reason:
        "Its publishers (the alertOperators function through the AWS SDK, CloudWatch alarms) use TLS always; the topic policy that would refuse others takes the stack past CloudFormation's 500 resources",
    });
    if (props.email) {
      const subscription = this.topic.addSubscription(new EmailSubscription(props.email));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason: 'An email subscription: SNS retries delivery itself, and an alert email that never arrives would wait in a queue no one reads',
      });
    }

    const consumer = events.consumers.get('alertOperators');
    if (consumer) {
      this.topic.grantPublish(consumer.function);
      consumer.function.addEnvironment('OPERATOR_TOPIC_ARN', this.topic.topicArn);
    }

    const queues: [string, IQueue][] = [
      ...[...events.consumers.values()].map((c): [string, IQueue] => [`${c.spec.function} dead letters`, c.deadLetters]),
      ['publishEvents failures', events.publishFailures],
      ['event routing failures', events.routingFailures],
      ...(props.deadLetterQueues ?? []),
    ];
    const action = new SnsAction(this.topic);
    for (const [name, queue] of queues) {
      const alarm = new Alarm(this, `${name.replace(/[^A-Za-z0-9]+/g, ' ').replace(/ (\w)/g, (_, c: string) => c.toUpperCase())}Alarm`, {
        alarmName: `codex-${stage}-${name.replace(/\s+/g, '-')}`,
        alarmDescription: `Codex ${stage}: ${name} holds a message (an event not handled after every retry). See docs/operations.md, "Dead-letter queues".`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // An empty queue that stopped reporting is fine.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.set(name, alarm);
    }
  }
}
