// The order workflow's Lambda steps, one export each (CDK makes one function per export; see lambdas/functions.ts).
// Input comes from the state machine, so it is trusted in shape but still parsed.
import * as z from 'zod';
import { awaitOutcome, finalizeOrder, giveUpSubmission, submitOrder } from '../application/order-workflow-steps.js';
import { workflowServices } from '../wiring.js';
import { logger } from '../../shared/logger.js';

const OrderInput = z.object({ orderId: z.coerce.number().int().positive() });
const GiveUpInput = OrderInput.extend({ error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).partial().optional() });
const AwaitInput = OrderInput.extend({ taskToken: z.string().min(1) });

export const submit = async (event: unknown) => {
  const { orderId } = OrderInput.parse(event);
  const outcome = await submitOrder(workflowServices(), orderId);
  logger.info('order submit step', { orderId, outcome });
  return { orderId, outcome };
};

export const giveUp = async (event: unknown) => {
  const { orderId, error } = GiveUpInput.parse(event);
  const outcome = await giveUpSubmission(workflowServices(), orderId, error?.Error ?? 'unknown error');
  logger.warn('order submission gave up', { orderId, outcome, error: error?.Error });
  return { orderId, outcome };
};

export const awaitCompletion = async (event: unknown) => {
  const { orderId, taskToken } = AwaitInput.parse(event);
  const result = await awaitOutcome(workflowServices(), orderId, taskToken);
  return { orderId, result };
};

export const finalize = async (event: unknown) => {
  const { orderId } = OrderInput.parse(event);
  const result = await finalizeOrder(workflowServices(), orderId);
  logger.info('order finalized', { ...result });
  return result;
};
