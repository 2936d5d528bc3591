// The function's X-Ray tracer (Powertools Tracer). Inert outside Lambda and when the function's tracing is off; on
// Lambda the stage's sampling rule decides which requests are traced (lib/operations/tracing.ts).
import { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './metric-catalogue.js';

export const tracer = new Tracer({ serviceName: SERVICE_NAME });

/** An AWS SDK v3 client whose calls appear as subsegments of the current trace. */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
