import { SNSClient } from '@aws-sdk/client-sns';
import { SnsOperatorAlerts } from '../../adapters/sns/sns-operator-alerts.js';
import { lazy, platform } from '../platform.js';
import type { OperatorAlerts } from '../ports.js';
import { config, requireOnLambda } from './config.js';

export const operatorAlerts: () => OperatorAlerts = /* @__PURE__ */ lazy(() => {
  const standIn = platform().alerts;
  if (standIn) return standIn;
  requireOnLambda('OPERATOR_TOPIC_ARN');
  return new SnsOperatorAlerts(new SNSClient({ region: config().AWS_REGION }), config().OPERATOR_TOPIC_ARN);
});
