// What outlives a stack by stage (StageConfig.retainData): the state machine, every queue (dead letters included) and
// every log group are kept when a stack that retains data is deleted, and every log group keeps its events as long as
// StageConfig.logRetention says. Applied to the whole stack, so queues and log groups added later follow too.
import { AspectPriority, Aspects, type IAspect, RemovalPolicies, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { CfnLogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import type { StageConfig } from '../stage-config.js';

export const RETAINED_BY_STAGE = ['AWS::StepFunctions::StateMachine', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup'];

export function retainByStage(stack: Stack, config: Pick<StageConfig, 'retainData' | 'logRetention'>): void {
  RemovalPolicies.of(stack).apply(config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY, { applyToResourceTypes: RETAINED_BY_STAGE });
  Aspects.of(stack).add(new LogGroupRetention(config.logRetention), { priority: AspectPriority.MUTATING });
}

class LogGroupRetention implements IAspect {
  constructor(private readonly retention: RetentionDays) {}

  visit(node: IConstruct): void {
    if (node instanceof CfnLogGroup) node.retentionInDays = this.retention === RetentionDays.INFINITE ? undefined : this.retention;
  }
}
