// What tells the operators (docs/operations.md): their SNS topic, which the alertOperators consumer publishes to and
// every alarm of the stage tells (lib/operations/alarms.ts, dead-letter queues included).
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { Events } from './events.js';

export interface OperatorAlertsProps {
  stage: string;
  events: Events;
  /** Subscribed to the topic (the address confirms by email); other subscribers (chat, a bot's webhook) are added by hand. */
  email?: string;
}

export class OperatorAlerts extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: OperatorAlertsProps) {
    super(scope, id);
    const { stage, events } = props;
    this.topic = new Topic(this, 'Topic', { topicName: `codex-${stage}-operators`, displayName: `Codex ${stage} operators` });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));

    const consumer = events.consumers.get('alertOperators');
    if (consumer) {
      this.topic.grantPublish(consumer.function);
      consumer.function.addEnvironment('OPERATOR_TOPIC_ARN', this.topic.topicArn);
    }
  }
}
