// Workflow step: submit the order to its provider (retried by the state machine while the provider is unreachable),
// then park the task's callback token until the order ends (the poller resumes it), or resume at once if it did.
import { submitAndAwait, submitOrder } from '../application/order-workflow-steps.js';
import { logger } from '../../shared/logger.js';
import { submitServices } from '../wiring.js';
import { AwaitInput, OrderInput } from './step-input.js';
import { workflowStep } from '../../shared/observability/correlation.js';
import { observe } from '../../shared/observability/observe.js';

const submitStep = async (event: unknown) => {
  // Executions started on the definition before Submit waited for its token (one running, or redriven, when the
  // new one is deployed) send no token and route on the outcome themselves: they get the answer they expect.
  if (typeof event === 'object' && event !== null && !('taskToken' in event)) {
    const { orderId } = OrderInput.parse(event);
    const outcome = await submitOrder(submitServices(), orderId);
    logger.info('order submit step (earlier definition)', { orderId, outcome });
    return { orderId, outcome };
  }
  const { orderId, taskToken } = AwaitInput.parse(event);
  const outcome = await submitAndAwait(submitServices(), orderId, taskToken);
  logger.info('order submit step', { orderId, outcome });
  return { orderId, outcome };
};

export const handler = observe(submitStep, workflowStep);
