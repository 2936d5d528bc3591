import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsMessageQueue } from '../../adapters/sqs/sqs-message-queue.js';
import { lazy, platform } from '../platform.js';
import type { MessageQueue } from '../ports.js';
import { config } from './config.js';

export const messageQueue: () => MessageQueue = /* @__PURE__ */ lazy(
  () => platform().queues ?? new SqsMessageQueue(new SQSClient({ region: config().AWS_REGION })),
);
