// Workflow step: settle the order exactly once, refunding what was not delivered.
import { finalizeOrder } from '../application/order-workflow-steps.js';
import { logger } from '../../shared/logger.js';
import { finalizeServices } from '../wiring.js';
import { OrderInput } from './step-input.js';
import { workflowStep } from '../../shared/observability/correlation.js';
import { observe } from '../../shared/observability/observe.js';

const finalizeStep = async (event: unknown) => {
  const { orderId } = OrderInput.parse(event);
  const result = await finalizeOrder(finalizeServices(), orderId);
  logger.info('order finalized', { ...result });
  return result;
};

export const handler = observe(finalizeStep, workflowStep);
