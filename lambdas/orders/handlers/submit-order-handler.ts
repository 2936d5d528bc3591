// Workflow step: submit the order to its provider (retried by the state machine while the provider is unreachable).
import { submitOrder } from '../application/order-workflow-steps.js';
import { logger } from '../../shared/logger.js';
import { submitServices } from '../wiring.js';
import { OrderInput } from './step-input.js';

export const handler = async (event: unknown) => {
  const { orderId } = OrderInput.parse(event);
  const outcome = await submitOrder(submitServices(), orderId);
  logger.info('order submit step', { orderId, outcome });
  return { orderId, outcome };
};
