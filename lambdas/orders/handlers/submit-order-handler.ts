// Workflow step: submit the order to its provider (retried by the state machine while the provider is unreachable),
// then park the task's callback token until the order ends (the poller resumes it), or resume at once if it did.
import { submitAndAwait } from '../application/order-workflow-steps.js';
import { logger } from '../../shared/logger.js';
import { submitServices } from '../wiring.js';
import { AwaitInput } from './step-input.js';

export const handler = async (event: unknown) => {
  const { orderId, taskToken } = AwaitInput.parse(event);
  const outcome = await submitAndAwait(submitServices(), orderId, taskToken);
  logger.info('order submit step', { orderId, outcome });
  return { orderId, outcome };
};
