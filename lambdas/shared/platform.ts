// How a function gets its adapters: each is built on first use, once per container, by the small wiring module of
// its area or platform service, so a function bundles only the AWS clients it calls. The local stack and the bench
// put their stand-ins in place (usePlatform) before the first handler runs; handlers never know which.
import type { GatewayKeys } from '../access/domain/gateway-keys.js';
import type { DocumentClientOptions } from '../adapters/dynamodb/client.js';
import type { WebhookSender } from '../notifications/ports.js';
import type { OrderWorkflow } from '../orders/ports.js';
import type { MetricsRecorder } from './observability/metrics-recorder.js';
import type { EmailSender, EventPublisher, MessageQueue, OperatorAlerts, SecretStore, SecretWriter } from './ports.js';

/** Stand-ins for the platform services; any left out are the AWS ones. */
export interface Platform {
  secrets?: SecretStore;
  /** Where the admin API writes provider keys; locally the same in-memory store `secrets` reads. */
  secretWriter?: SecretWriter;
  gatewayKeys?: GatewayKeys;
  workflow?: OrderWorkflow;
  events?: EventPublisher;
  fetch?: typeof fetch;
  email?: EmailSender;
  queues?: MessageQueue;
  alerts?: OperatorAlerts;
  /** Where business metrics go; EMF lines on stdout when absent. */
  metrics?: MetricsRecorder;
  /** How the DynamoDB client reaches its table: an in-process request handler or shortcut (the in-memory engine), retries. */
  dynamoDb?: Pick<DocumentClientOptions, 'requestHandler' | 'maxAttempts' | 'retryDelayMs' | 'shortcut'>;
  /** Where reseller webhooks go instead of HttpWebhookSender (the simulation's receivers). */
  webhooks?: WebhookSender;
}

let current: Platform = {};
let generation = 0;

/** Replaces the platform and forgets everything built so far (configuration included). */
export function usePlatform(platform: Platform): void {
  current = platform;
  generation++;
}

export function platform(): Platform {
  return current;
}

/**
 * A value built on first use and kept for the container (until usePlatform). Call it as `/* @__PURE__ *\/ lazy(...)`
 * so that esbuild drops a getter no handler uses, and with it the clients it would build.
 */
export function lazy<T>(build: () => T): () => T {
  let value: T;
  let builtFor = -1;
  return () => {
    if (builtFor !== generation) {
      value = build();
      builtFor = generation;
    }
    return value;
  };
}
