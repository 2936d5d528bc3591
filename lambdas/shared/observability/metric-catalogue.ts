// Every business metric Codex emits, as CloudWatch embedded metric format (EMF) lines in namespace `Codex`: one list,
// read by the code that records them and by the alarms and dashboard (lib/operations), so a renamed metric cannot leave
// an alarm watching nothing. Each metric also carries the default dimensions `service` (codex) and `stage`.

export const METRICS_NAMESPACE = 'Codex';
/** Powertools adds `service` from POWERTOOLS_SERVICE_NAME; `stage` is added from STAGE (lambdas/adapters/cloudwatch). */
export const SERVICE_NAME = 'codex';

export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds' | 'None';

export interface MetricSpec {
  unit: MetricUnit;
  /** Dimensions besides service and stage, in this order; every record of the metric gives each of them. */
  dimensions: readonly string[];
  description: string;
}

export const METRICS = {
  OrdersAccepted: { unit: 'Count', dimensions: [], description: 'Orders charged and accepted (both APIs)' },
  OrdersRefused: { unit: 'Count', dimensions: ['reason'], description: 'Orders refused before any charge, by error code' },
  OrdersFinalized: { unit: 'Count', dimensions: ['status'], description: 'Orders settled, by final status' },
  RefundAmount: { unit: 'None', dimensions: [], description: 'Money returned to wallets by refunds, in the stage currency' },
  ProviderCalls: { unit: 'Count', dimensions: ['provider', 'action'], description: 'Calls to upstream provider panels' },
  ProviderCallErrors: { unit: 'Count', dimensions: ['provider', 'action'], description: 'Provider calls that failed or answered nonsense' },
  ProviderCallLatency: { unit: 'Milliseconds', dimensions: ['provider', 'action'], description: 'Time of one provider call' },
  OpenOrderOverdue: {
    unit: 'Seconds',
    dimensions: ['provider'],
    description: "How far the oldest open order of a provider is past its service's expected time (0 when none is)",
  },
  ProviderAmbiguousReadings: {
    unit: 'Count',
    dimensions: ['provider'],
    description: 'Provider answers kept for a later reading before any money moves (Error, Fail, Partial without remains)',
  },
  WebhookDeliveries: { unit: 'Count', dimensions: [], description: 'Webhook delivery attempts to resellers' },
  WebhookFailures: { unit: 'Count', dimensions: [], description: 'Webhook delivery attempts that failed' },
  TopUpsCredited: { unit: 'Count', dimensions: [], description: 'Top-ups credited to a wallet' },
  TopUpAmount: { unit: 'None', dimensions: [], description: 'Money in: credited top-ups, in the stage currency' },
  LoginFailures: { unit: 'Count', dimensions: [], description: 'Failed customer sign-ins' },
  ApiKeyBlocks: { unit: 'Count', dimensions: [], description: 'Requests refused because an API key is blocked or over its limit' },
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;

/** The dimension values a record of `name` must give. */
export type MetricDimensions<N extends MetricName> = { [D in (typeof METRICS)[N]['dimensions'][number]]: string };
