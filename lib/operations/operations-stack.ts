// The alarms and the dashboard of a stage, in a nested stack of their own: over a hundred alarms would take the Codex
// stack past CloudFormation's 500 resources. Built last, from what the stack holds by then (watched-resources.ts).
import { NestedStack, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.js';
import { Alarms } from './alarms.js';
import { Dashboard } from './dashboard.js';
import { watchedResources } from './watched-resources.js';

export interface OperationsProps {
  config: StageConfig;
  topic: ITopic;
  api: RestApi;
  stateMachine: IStateMachine;
}

export class Operations extends NestedStack {
  readonly alarms: Alarms;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id, { description: `Codex ${props.config.stage}: alarms and dashboard` });
    const { stage } = props.config;
    const watched = watchedResources(Stack.of(scope));
    this.alarms = new Alarms(this, 'Alarms', {
      stage,
      thresholds: props.config.alarms,
      topic: props.topic,
      api: props.api,
      stateMachine: props.stateMachine,
      functions: watched.functions,
      deadLetterQueues: watched.deadLetterQueues,
    });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      stage,
      api: props.api,
      stateMachine: props.stateMachine,
      functions: watched.functions,
      deadLetterQueues: watched.deadLetterQueues,
      workQueues: watched.workQueues,
      alarms: [...this.alarms.byName.values()],
      waf: props.config.waf,
    });
  }
}
