// The function's X-Ray tracer (Powertools Tracer). Inert outside Lambda and when the function's tracing is off; on
// Lambda the stage's sampling rule decides which requests are traced (lib/operations/tracing.ts).
import { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './metric-catalogue.js';

export const tracer = new Tracer({ serviceName: SERVICE_NAME });

/** An AWS SDK v3 client whose calls appear as subsegments of the current trace. */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}

/**
 * A remote call neither capture sees (node:http and node:https; fetch is captured by the Tracer itself): a subsegment
 * named after the host name only (as the Tracer names fetch's), since a receiver's path may hold its own secret.
 */
export async function tracedHttpCall<T>(host: string, call: () => Promise<T>, statusOf: (result: T) => number | undefined): Promise<T> {
  const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
  if (!parent) return call();
  const subsegment = parent.addNewSubsegment(host);
  subsegment.addAttribute('namespace', 'remote');
  try {
    const result = await call();
    const status = statusOf(result);
    if (status === undefined || status >= 500) subsegment.addFaultFlag();
    else if (status >= 400) subsegment.addErrorFlag();
    if (status === 429) subsegment.addThrottleFlag();
    return result;
  } catch (error) {
    subsegment.addError(error as Error, true);
    throw error;
  } finally {
    subsegment.close();
  }
}
