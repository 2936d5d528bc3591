import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SnsOperatorAlerts } from '../../adapters/sns/sns-operator-alerts.js';
import { lazy, platform } from '../platform.js';
import type { OperatorAlerts } from '../ports.js';
import { config, requireOnLambda } from './config.js';

export const operatorAlerts: () => OperatorAlerts = /* @__PURE__ */ lazy(() => {
  const standIn = platform().alerts;
  if (standIn) return standIn;
  requireOnLambda('OPERATOR_TOPIC_ARN');
  const { AWS_REGION, OPERATOR_TOPIC_ARN } = config();
  // The execution role's credentials, which Lambda puts in the environment (and refreshes with each container).
  return new SnsOperatorAlerts({ topicArn: OPERATOR_TOPIC_ARN, region: AWS_REGION, credentials: fromEnv() });
});
