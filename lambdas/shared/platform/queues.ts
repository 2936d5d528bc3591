import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SqsMessageQueue } from '../../adapters/sqs/sqs-message-queue.js';
import { lazy, platform } from '../platform.js';
import type { MessageQueue } from '../ports.js';

export const messageQueue: () => MessageQueue = /* @__PURE__ */ lazy(() => platform().queues ?? new SqsMessageQueue({ credentials: fromEnv() }));
