import { SNSClient } from '@aws-sdk/client-sns';
import { SnsOperatorAlerts } from '../../adapters/sns/sns-operator-alerts.js';
import { loadAlertConfig } from '../config.js';
import { lazy, platform } from '../platform.js';
import type { OperatorAlerts } from '../ports.js';
import { config } from './config.js';
import { traced } from '../observability/tracer.js';

export const operatorAlerts: () => OperatorAlerts = /* @__PURE__ */ lazy(() => {
  const standIn = platform().alerts;
  if (standIn) return standIn;
  const { OPERATOR_TOPIC_ARN } = loadAlertConfig(undefined, { requireTopic: true });
  return new SnsOperatorAlerts(traced(new SNSClient({ region: config().AWS_REGION })), OPERATOR_TOPIC_ARN);
});
