// Workflow step: settle the order exactly once, refunding what was not delivered.
import { finalizeOrder } from '../application/order-workflow-steps.js';
import { logger } from '../../shared/logger.js';
import { finalizeServices } from '../wiring.js';
import { OrderInput } from './step-input.js';

export const handler = async (event: unknown) => {
  const { orderId } = OrderInput.parse(event);
  const result = await finalizeOrder(finalizeServices(), orderId);
  logger.info('order finalized', { ...result });
  return result;
};
