// Workflow step: park the callback token until the poller sees the order end (or resume at once if it has).
import { awaitOutcome } from '../application/order-workflow-steps.js';
import { awaitServices } from '../wiring.js';
import { AwaitInput } from './step-input.js';
import { workflowStep } from '../../shared/observability/correlation.js';
import { observe } from '../../shared/observability/observe.js';

const awaitStep = async (event: unknown) => {
  const { orderId, taskToken } = AwaitInput.parse(event);
  const result = await awaitOutcome(awaitServices(), orderId, taskToken);
  return { orderId, result };
};

export const handler = observe(awaitStep, workflowStep);
