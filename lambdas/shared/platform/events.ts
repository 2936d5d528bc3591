import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../../adapters/eventbridge/event-bridge-publisher.js';
import { lazy, platform } from '../platform.js';
import type { EventPublisher } from '../ports.js';
import { config } from './config.js';
import { traced } from '../observability/tracer.js';

export const eventPublisher: () => EventPublisher = /* @__PURE__ */ lazy(
  () => platform().events ?? new EventBridgePublisher(traced(new EventBridgeClient({ region: config().AWS_REGION })), config().EVENT_BUS_NAME),
);
