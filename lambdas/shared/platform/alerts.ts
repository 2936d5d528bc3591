import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SnsOperatorAlerts } from '../../adapters/sns/sns-operator-alerts.js';
import { loadAlertConfig } from '../config.js';
import { lazy, platform } from '../platform.js';
import type { OperatorAlerts } from '../ports.js';
import { config } from './config.js';

export const operatorAlerts: () => OperatorAlerts = /* @__PURE__ */ lazy(() => {
  const standIn = platform().alerts;
  if (standIn) return standIn;
  const { OPERATOR_TOPIC_ARN } = loadAlertConfig(undefined, { requireTopic: true });
  // The execution role's credentials, which Lambda puts in the environment (and refreshes with each container).
  return new SnsOperatorAlerts({ topicArn: OPERATOR_TOPIC_ARN, region: config().AWS_REGION, credentials: fromEnv() });
});
