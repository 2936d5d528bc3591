// What tells the operators (docs/operations.md): their SNS topic, which the alertOperators consumer publishes to and
// every alarm of the stage tells (lib/operations/alarms.ts, dead-letter queues included).
import { Validations } from 'aws-cdk-lib';
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
  }
}
