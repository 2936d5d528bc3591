// What the operations stack watches, found in the built Codex stack rather than listed by hand, so a function or a
// dead-letter queue added later is watched without anyone remembering to: every CodexFunction, every queue, and which
// queues are dead-letter destinations (a queue's redrive target, a stream mapping's or async invocation's on-failure
// destination, a rule target's or a function's or a schedule's dead-letter queue).
import type { Stack } from 'aws-cdk-lib';
import { CfnRule } from 'aws-cdk-lib/aws-events';
import { CfnEventInvokeConfig, CfnEventSourceMapping, CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { CfnQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { FUNCTIONS, type FunctionName } from '../../lambdas/functions.js';
import { CodexFunction } from '../codex-function.js';

export interface WatchedQueue {
  /** The queue's construct path within the stack ("Events/sendNotificationEmails/DeadLetters"). */
  label: string;
  queue: Queue;
}

export interface WatchedResources {
  functions: [FunctionName, CodexFunction][];
  deadLetterQueues: WatchedQueue[];
  /** Queues that are not dead-letter destinations (the consumers' own). */
  workQueues: WatchedQueue[];
}

export function watchedResources(stack: Stack): WatchedResources {
  const all = stack.node.findAll();
  const functions = all.filter((c): c is CodexFunction => c instanceof CodexFunction).map((fn): [FunctionName, CodexFunction] => [functionName(fn), fn]);

  const queues = all.filter((c): c is Queue => c instanceof Queue);
  const targets = new Set<string>();
  const add = (arn: unknown) => {
    if (arn !== undefined) targets.add(JSON.stringify(stack.resolve(arn)));
  };
  for (const c of all) {
    if (c instanceof CfnQueue) add((stack.resolve(c.redrivePolicy) as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn);
    if (c instanceof CfnEventSourceMapping || c instanceof CfnEventInvokeConfig) {
      add((stack.resolve(c.destinationConfig) as { onFailure?: { destination?: unknown } } | undefined)?.onFailure?.destination);
    }
    if (c instanceof CfnFunction) add((stack.resolve(c.deadLetterConfig) as { targetArn?: unknown } | undefined)?.targetArn);
    if (c instanceof CfnRule) {
      for (const target of (stack.resolve(c.targets) as { deadLetterConfig?: { arn?: unknown } }[] | undefined) ?? []) add(target.deadLetterConfig?.arn);
    }
    if (c instanceof CfnSchedule) add((stack.resolve(c.target) as { deadLetterConfig?: { arn?: unknown } }).deadLetterConfig?.arn);
  }
  const watched = queues.map((queue) => ({ label: pathIn(stack, queue), queue }));
  const isDeadLetter = ({ queue }: WatchedQueue) => targets.has(JSON.stringify(stack.resolve(queue.queueArn)));
  return { functions, deadLetterQueues: watched.filter(isDeadLetter), workQueues: watched.filter((q) => !isDeadLetter(q)) };
}

/** A function's manifest name: its construct id, or its parent's where the id is generic (an event consumer's `Function`). */
function functionName(fn: CodexFunction): FunctionName {
  for (let c: IConstruct | undefined = fn; c; c = c.node.scope) if (c.node.id in FUNCTIONS) return c.node.id as FunctionName;
  throw new Error(`${fn.node.path} is no function of lambdas/functions.ts`);
}

function pathIn(stack: Stack, construct: IConstruct): string {
  return construct.node.path.slice(stack.node.path.length + 1);
}
