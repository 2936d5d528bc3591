// What every Lambda handler is wrapped in (the entry files call it): Powertools Logger with the Lambda context and the
// invocation's correlation ids, Metrics (the cold start, and any buffered metric flushed after each invocation), and
// the Tracer's handler subsegment. Responses are never put in traces: some carry a secret shown once (a new API key).
import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../logger.js';
import { powertoolsMetrics } from '../platform/metrics.js';
import { tracer } from './tracer.js';

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

/** Lambda always passes the context; tests and scripts that call a handler directly may leave it out. */
export type ObservedHandler<E, R> = (event: E, context?: Context) => Promise<R>;

export interface ObserveOptions<E> {
  /** Ids that say what this invocation is about (request id, order id, user id): added to every log line. Never a secret. */
  correlationIds?: (event: E) => Record<string, string | undefined>;
}

export function observe<E, R>(handler: LambdaHandler<E, R>, options: ObserveOptions<NoInfer<E>> = {}): ObservedHandler<E, R> {
  const wrapped = middy(handler)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(powertoolsMetrics(), { captureColdStartMetric: true }))
    .before((request) => {
      const ids = options.correlationIds?.(request.event as E);
      if (!ids) return;
      const keys = Object.fromEntries(Object.entries(ids).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
      if (Object.keys(keys).length > 0) logger.appendKeys(keys);
    });
  return (event, context) => wrapped(event, context ?? directCallContext()) as Promise<R>;
}

/** A Lambda context for a function run outside Lambda: direct calls from tests and scripts, and the local stack. */
export function placeholderContext(functionName: string, requestId: string = randomUUID(), memoryMb = 128): Context {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function directCallContext(): Context {
  return placeholderContext(process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'direct-call');
}
