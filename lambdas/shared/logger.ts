// The one logger: structured JSON with the request's ids. Secrets are never passed to it; keys are masked first.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'codex' });
