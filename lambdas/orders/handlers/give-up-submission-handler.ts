// Workflow step: decide what happens to an order after its submission retries are spent.
import { giveUpSubmission } from '../application/order-workflow-steps.js';
import { logger } from '../../shared/logger.js';
import { giveUpServices } from '../wiring.js';
import { GiveUpInput } from './step-input.js';
import { workflowStep } from '../../shared/observability/correlation.js';
import { observe } from '../../shared/observability/observe.js';

const giveUpStep = async (event: unknown) => {
  const { orderId, error } = GiveUpInput.parse(event);
  const outcome = await giveUpSubmission(giveUpServices(), orderId, error?.Error ?? 'unknown error');
  logger.warn('order submission gave up', { orderId, outcome, error: error?.Error });
  return { orderId, outcome };
};

export const handler = observe(giveUpStep, workflowStep);
