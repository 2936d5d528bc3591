import { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsOrderWorkflow } from '../../adapters/stepfunctions/step-functions-workflow.js';
import type { OrderWorkflow } from '../../orders/ports.js';
import { lazy, platform } from '../platform.js';
import { ConfigError } from '../config.js';
import { config } from './config.js';

export const orderWorkflow: () => OrderWorkflow = /* @__PURE__ */ lazy(() => {
  const standIn = platform().workflow;
  if (standIn) return standIn;
  const { AWS_REGION, STATE_MACHINE_ARN } = config();
  if (!STATE_MACHINE_ARN) throw new ConfigError('Configuration is incomplete: STATE_MACHINE_ARN: missing');
  return new StepFunctionsOrderWorkflow(new SFNClient({ region: AWS_REGION }), STATE_MACHINE_ARN);
});
