// Every business metric Codex emits, as CloudWatch embedded metric format (EMF) lines in namespace `Codex`: one list,
// read by the code that records them and by the alarms and dashboard (lib/operations), so a renamed metric cannot leave
// an alarm watching nothing. Each metric also carries the default dimensions `service` (codex) and `stage`.

export const METRICS_NAMESPACE = 'Codex';
/** Powertools adds `service` from POWERTOOLS_SERVICE_NAME; `stage` is added from STAGE (lambdas/adapters/cloudwatch). */
export const SERVICE_NAME = 'codex';

export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds' | 'None';

/** What each metric means is the comment above it: comments cost a bundle nothing, strings cost every function. */
export interface MetricSpec {
  unit: MetricUnit;
  /** Dimensions besides service and stage, in this order; every record of the metric gives each of them. */
  dimensions: readonly string[];
}

export const METRICS = {
  /** Orders charged and accepted (both APIs) */
  OrdersAccepted: { unit: 'Count', dimensions: [] },
  /** Orders refused before any charge, by error code */
  OrdersRefused: { unit: 'Count', dimensions: ['reason'] },
  /** Orders settled, by final status */
  OrdersFinalized: { unit: 'Count', dimensions: ['status'] },
  /** Money returned to wallets by refunds, in the stage currency */
  RefundAmount: { unit: 'None', dimensions: [] },
  /** Calls to upstream provider panels */
  ProviderCalls: { unit: 'Count', dimensions: ['provider', 'action'] },
  /** Provider calls that failed or answered nonsense */
  ProviderCallErrors: { unit: 'Count', dimensions: ['provider', 'action'] },
  /** Time of one provider call */
  ProviderCallLatency: { unit: 'Milliseconds', dimensions: ['provider', 'action'] },
  /** How far the oldest open order of a provider is past its service's expected time (0 when none is) */
  OpenOrderOverdue: { unit: 'Seconds', dimensions: ['provider'] },
  /** Provider answers kept for a later reading before any money moves (Error, Fail, Partial without remains) */
  ProviderAmbiguousReadings: { unit: 'Count', dimensions: ['provider'] },
  /** Webhook delivery attempts to resellers */
  WebhookDeliveries: { unit: 'Count', dimensions: [] },
  /** Webhook delivery attempts that failed */
  WebhookFailures: { unit: 'Count', dimensions: [] },
  /** Top-ups credited to a wallet */
  TopUpsCredited: { unit: 'Count', dimensions: [] },
  /** Money in: credited top-ups, in the stage currency */
  TopUpAmount: { unit: 'None', dimensions: [] },
  /** Failed customer sign-ins */
  LoginFailures: { unit: 'Count', dimensions: [] },
  /** Requests refused because an API key is blocked or over its limit */
  ApiKeyBlocks: { unit: 'Count', dimensions: [] },
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;

/** The dimension values a record of `name` must give. */
export type MetricDimensions<N extends MetricName> = { [D in (typeof METRICS)[N]['dimensions'][number]]: string };
