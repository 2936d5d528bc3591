import { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsResume } from '../../adapters/stepfunctions/step-functions-resume.js';
import { StepFunctionsOrderWorkflow } from '../../adapters/stepfunctions/step-functions-workflow.js';
import type { OrderWorkflow } from '../../orders/ports.js';
import { lazy, platform } from '../platform.js';
import { config } from './config.js';
import { traced } from '../observability/tracer.js';

// Resuming needs only the token; the functions that start executions also get STATE_MACHINE_ARN, and require it at
// start (requireOnLambda in their handlers).
export const orderWorkflow: () => OrderWorkflow = /* @__PURE__ */ lazy(
  () => platform().workflow ?? new StepFunctionsOrderWorkflow(traced(new SFNClient({ region: config().AWS_REGION })), config().STATE_MACHINE_ARN),
);

/** Resuming only (the admin API's order actions): without the start and redrive commands. */
export const workflowResume: () => Pick<OrderWorkflow, 'resume'> = /* @__PURE__ */ lazy(
  () => platform().workflow ?? new StepFunctionsResume(traced(new SFNClient({ region: config().AWS_REGION }))),
);
