// Acknowledging cdk-nag findings (tests/infra/cdk-nag.test.ts) where the resource they concern is made. A wildcard
// finding's id holds the resource exactly as cdk-nag prints it, so it is computed from the same value the grant uses.
import { CfnElement, Names, Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/** The id of AwsSolutions-IAM5's finding for this resource (an ARN pattern, tokens allowed). */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

/**
 * The same finding as a nested stack of `scope`'s stack reads it (the function roles': lib/function-roles.ts): each of the
 * stack's attributes arrives there as a parameter, named as CDK names it (`reference-to-<unique id><attribute>`).
 */
export function nestedWildcardResourceFinding(scope: IConstruct, resource: string): string {
  const stack = Stack.of(scope);
  const elements = new Map(
    stack.node
      .findAll()
      .filter((c): c is CfnElement => CfnElement.isCfnElement(c) && c.stack === stack)
      .map((element) => [stack.resolve(element.logicalId) as string, element]),
  );
  const parameter = (logicalId: string, attribute: string): unknown => {
    const element = elements.get(logicalId);
    return element ? { Ref: `referenceto${Names.nodeUniqueId(element.node)}${attribute}`.replace(/[^A-Za-z0-9]/g, '') } : undefined;
  };
  const asParameters = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(asParameters);
    if (value === null || typeof value !== 'object') return value;
    const { Ref: ref, 'Fn::GetAtt': getAtt } = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
    if (typeof ref === 'string') return parameter(ref, 'Ref') ?? value;
    if (Array.isArray(getAtt)) return parameter(String(getAtt[0]), String(getAtt[1])) ?? value;
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, asParameters(inner)]));
  };
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(asParameters(stack.resolve(resource)))}]`;
}

/** Acknowledges the wildcard resource on every policy under `scope` (a function's role, a construct, the stack). */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: wildcardResourceFinding(scope, resource), reason });
}

/** Serverless-LambdaDLQ does not apply: a function's dead-letter queue only receives failed asynchronous invocations. */
export function acknowledgeSynchronousInvocation(fn: IConstruct, invokedBy: string): void {
  Validations.of(fn).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason: `Invoked synchronously by ${invokedBy}, which sees the failure itself: a dead-letter queue only receives failed asynchronous invocations`,
  });
}

/** AwsSolutions-SQS3 and Serverless-SQSRedrivePolicy do not apply to a queue that is itself where failures go. */
export function acknowledgeDeadLetterQueue(queue: IConstruct, deadLettersOf: string): void {
  const reason = `This queue is itself a dead-letter queue (${deadLettersOf}), alarmed on by the operators' alerts; it has no dead-letter queue of its own`;
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason }, { id: 'Serverless-SQSRedrivePolicy', reason });
}
