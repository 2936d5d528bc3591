// The one place configuration is read. On AWS it comes from the function's environment (set by CDK), and a
// function whose environment lacks a required variable fails at start rather than on some later request. The
// local stack runs without AWS_LAMBDA_FUNCTION_NAME, so the defaults below apply there and only there.
// Read by hand rather than with zod: every function reads it, and zod would add 22 KB to bundles that use no other.

/** What a function needs on AWS, with the local stack's values. */
const REQUIRED_ON_AWS = {
  TABLE_NAME: 'codex',
  AWS_REGION: 'us-east-1',
  EVENT_BUS_NAME: 'default',
  /** Secret holding the pepper for API key hashes. */
  API_KEY_PEPPER_SECRET_ID: 'codex/api-key-pepper',
  /** The deployment stage; the stage's API Gateway usage plans and shared key are found by names built from it. */
  STAGE: 'local',
} as const;

export type Config = { -readonly [K in keyof typeof REQUIRED_ON_AWS]: string } & {
  /** Set on the workflow functions only: naming the state machine in the others would make them depend on it. */
  STATE_MACHINE_ARN: string;
  /** Only set locally (DynamoDB Local); on AWS the SDK finds the regional endpoint itself. */
  DYNAMODB_ENDPOINT?: string;
  /** Whole pages of orders (see keys.order), so an owner's own block never shares a page with other owners. */
  ORDER_ID_BLOCK_SIZE: number;
  PROGRESS_MIN_INTERVAL_SECONDS: number;
  /** Least time between an ambiguous provider reading (Error, Fail, Partial without remains) and the one confirming it. */
  AMBIGUOUS_CONFIRM_SECONDS: number;
  MAX_REQUEST_BYTES: number;
  SWEEP_MIN_AGE_SECONDS: number;
  CURRENCY: string;
  /** Where clients reach the API (links in emails, checkout URLs); absent on AWS, where requests say it. */
  PUBLIC_API_URL?: string;
  // Accounts and sessions (issue 9). Empty on AWS unless set: only the functions that need them require them
  // (requireOnLambda in lambdas/customers/wiring.ts and lambdas/shared/platform/email.ts).
  /** Secret with the access tokens' Ed25519 key seeds ({"current": "<kid>", "<kid>": "<seed>"}). */
  JWT_SIGNING_SECRET_ID: string;
  /** The From address of account emails (an SES verified identity on AWS). */
  EMAIL_FROM: string;
  /** SES configuration set for account emails (bounces, complaints); none when absent. */
  SES_CONFIGURATION_SET?: string;
  // Issue 9, cabinet: limits on every user's orders (/api/v1 and /api/v2 alike); each is off when unset, and then
  // costs nothing. MAX_DAILY_SPEND is a decimal amount in CURRENCY charged per UTC day; MAX_ACTIVE_ORDERS counts
  // orders not yet settled.
  MAX_DAILY_SPEND?: string;
  MAX_ACTIVE_ORDERS?: number;
  // Issue 9, auth fixes: API keys an account may hold that are not revoked (cabinet and admin alike; default 20).
  MAX_API_KEYS_PER_USER: number;
  // Issue 10, reseller webhooks. The secret whose text seals webhook signing secrets at rest (HKDF → AES-256-GCM);
  // empty on AWS unless set. WEBHOOK_ALLOW_LOOPBACK lets receivers on 127.0.0.1 / ::1 over http: the local stack
  // sets it, CDK never does (default false).
  WEBHOOK_SECRET_KEY_SECRET_ID: string;
  WEBHOOK_ALLOW_LOOPBACK: boolean;
} & PaymentsConfig;

// Money in (top-ups and payment gateways), read by the payments function only. A method is offered when it is
// listed in PAYMENT_METHODS and configured: `demo` needs its signing secret (DEMO_GATEWAY_SECRET_ID), `cryptomus`
// a merchant UUID and payment key (CODEX_CRYPTOMUS_MERCHANT and CODEX_CRYPTOMUS_PAYMENT_KEY locally, the JSON
// secret {merchant, paymentKey} named by CRYPTOMUS_SECRET_ID on AWS).
export interface PaymentsConfig {
  PAYMENT_METHODS: string[];
  /** Decimal amounts in CURRENCY. */
  MIN_DEPOSIT: string;
  MAX_DEPOSIT: string;
  TOP_UP_LIFETIME_SECONDS: number;
  PAYMENT_GATEWAY_TIMEOUT_MS: number;
  DEMO_GATEWAY_SECRET_ID: string;
  CODEX_CRYPTOMUS_API_URL: string;
  CRYPTOMUS_SECRET_ID?: string;
  CODEX_CRYPTOMUS_MERCHANT?: string;
  CODEX_CRYPTOMUS_PAYMENT_KEY?: string;
  /** Where a gateway sends the customer back after paying (`{id}` is the top-up's id); none when absent. */
  TOP_UP_RETURN_URL?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const onAws = Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
  const problems: string[] = [];
  const text = (name: keyof typeof REQUIRED_ON_AWS): string => {
    const value = env[name];
    if (value) return value;
    if (onAws) problems.push(`${name}: missing`);
    return REQUIRED_ON_AWS[name];
  };
  const whole = (name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER, step = 1 } = {}): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > max || value % step !== 0) problems.push(`${name}: invalid`);
    return value;
  };
  const endpoint = env.DYNAMODB_ENDPOINT;
  if (endpoint !== undefined && !URL.canParse(endpoint)) problems.push('DYNAMODB_ENDPOINT: invalid');
  const currency = env.CURRENCY ?? 'USD';
  if (!/^[A-Z]{3}$/.test(currency)) problems.push('CURRENCY: invalid');
  const config: Config = {
    TABLE_NAME: text('TABLE_NAME'),
    AWS_REGION: text('AWS_REGION'),
    EVENT_BUS_NAME: text('EVENT_BUS_NAME'),
    API_KEY_PEPPER_SECRET_ID: text('API_KEY_PEPPER_SECRET_ID'),
    STAGE: text('STAGE'),
    STATE_MACHINE_ARN: env.STATE_MACHINE_ARN ?? '',
    ...(endpoint !== undefined ? { DYNAMODB_ENDPOINT: endpoint } : {}),
    ORDER_ID_BLOCK_SIZE: whole('ORDER_ID_BLOCK_SIZE', 100, { min: 100, max: 10_000, step: 100 }),
    PROGRESS_MIN_INTERVAL_SECONDS: whole('PROGRESS_MIN_INTERVAL_SECONDS', 300),
    AMBIGUOUS_CONFIRM_SECONDS: whole('AMBIGUOUS_CONFIRM_SECONDS', 30, { max: 24 * 3600 }),
    MAX_REQUEST_BYTES: whole('MAX_REQUEST_BYTES', 64 * 1024, { min: 1024 }),
    SWEEP_MIN_AGE_SECONDS: whole('SWEEP_MIN_AGE_SECONDS', 120),
    CURRENCY: currency,
    ...(env.PUBLIC_API_URL ? { PUBLIC_API_URL: env.PUBLIC_API_URL } : {}),
    ...paymentsConfig(env, whole, problems),
    JWT_SIGNING_SECRET_ID: env.JWT_SIGNING_SECRET_ID || (onAws ? '' : 'codex/jwt-signing-keys'),
    EMAIL_FROM: env.EMAIL_FROM || (onAws ? '' : 'Codex <no-reply@codex.local>'),
    ...(env.SES_CONFIGURATION_SET ? { SES_CONFIGURATION_SET: env.SES_CONFIGURATION_SET } : {}),
    MAX_API_KEYS_PER_USER: whole('MAX_API_KEYS_PER_USER', 20, { min: 1, max: 1000 }),
    WEBHOOK_SECRET_KEY_SECRET_ID: env.WEBHOOK_SECRET_KEY_SECRET_ID || (onAws ? '' : 'codex/webhook-secret-key'),
    WEBHOOK_ALLOW_LOOPBACK: env.WEBHOOK_ALLOW_LOOPBACK === 'true',
  };
  const dailySpend = env.MAX_DAILY_SPEND?.trim();
  if (dailySpend) {
    if (/^\d{1,9}(\.\d{1,6})?$/.test(dailySpend) && Number(dailySpend) > 0) config.MAX_DAILY_SPEND = dailySpend;
    else problems.push('MAX_DAILY_SPEND: invalid');
  }
  if (env.MAX_ACTIVE_ORDERS?.trim()) config.MAX_ACTIVE_ORDERS = whole('MAX_ACTIVE_ORDERS', 0, { min: 1 });
  if (env.PUBLIC_API_URL !== undefined && !URL.canParse(env.PUBLIC_API_URL)) problems.push('PUBLIC_API_URL: invalid');
  if (problems.length > 0) throw new ConfigError(`Configuration is incomplete: ${problems.join(', ')}`);
  return config;
}

const PAYMENT_METHOD_NAMES = ['demo', 'cryptomus'];
const DECIMAL = /^\d{1,9}(\.\d{1,2})?$/;

function paymentsConfig(
  env: NodeJS.ProcessEnv,
  whole: (name: string, fallback: number, bounds?: { min?: number; max?: number }) => number,
  problems: string[],
): PaymentsConfig {
  const methods = (env.PAYMENT_METHODS ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  if (methods.some((m) => !PAYMENT_METHOD_NAMES.includes(m))) problems.push('PAYMENT_METHODS: invalid');
  const decimal = (name: string, fallback: string) => {
    const value = env[name] ?? fallback;
    if (!DECIMAL.test(value)) problems.push(`${name}: invalid`);
    return value;
  };
  const apiUrl = env.CODEX_CRYPTOMUS_API_URL ?? 'https://api.cryptomus.com';
  if (!URL.canParse(apiUrl)) problems.push('CODEX_CRYPTOMUS_API_URL: invalid');
  const optional = (name: keyof PaymentsConfig) => (env[name] ? { [name]: env[name] } : {});
  return {
    PAYMENT_METHODS: methods,
    MIN_DEPOSIT: decimal('MIN_DEPOSIT', '1.00'),
    MAX_DEPOSIT: decimal('MAX_DEPOSIT', '10000.00'),
    TOP_UP_LIFETIME_SECONDS: whole('TOP_UP_LIFETIME_SECONDS', 3600, { min: 300, max: 43_200 }),
    PAYMENT_GATEWAY_TIMEOUT_MS: whole('PAYMENT_GATEWAY_TIMEOUT_MS', 10_000, { min: 100, max: 15_000 }),
    DEMO_GATEWAY_SECRET_ID: env.DEMO_GATEWAY_SECRET_ID || 'codex/payments/demo',
    CODEX_CRYPTOMUS_API_URL: apiUrl,
    ...optional('CRYPTOMUS_SECRET_ID'),
    ...optional('CODEX_CRYPTOMUS_MERCHANT'),
    ...optional('CODEX_CRYPTOMUS_PAYMENT_KEY'),
    ...optional('TOP_UP_RETURN_URL'),
  };
}

/**
 * Operator alerts (docs/operations.md): read only by the poller, the sweeper and alertOperators, apart from loadConfig
 * so that no other bundle carries it. A provider is unhealthy when at least PROVIDER_ALERT_MIN_CALLS status calls in
 * the last PROVIDER_ALERT_WINDOW_MINUTES failed at PROVIDER_ALERT_FAILURE_RATE or more (0..1).
 */
export interface AlertConfig {
  PROVIDER_ALERT_FAILURE_RATE: number;
  PROVIDER_ALERT_MIN_CALLS: number;
  PROVIDER_ALERT_WINDOW_MINUTES: number;
  /** Minutes an order's provider may answer an unknown status or "Incorrect order ID" before operators hear of it. */
  ORDER_ANOMALY_ALERT_MINUTES: number;
  /** A service's expected time when it sets none (`expectedMinutes`): past it, an open order is overdue. */
  ORDER_EXPECTED_MINUTES_DEFAULT: number;
  /** The operators' SNS topic; set (and required) on the alertOperators function only. */
  OPERATOR_TOPIC_ARN: string;
}

/** `requireTopic`: on Lambda, OPERATOR_TOPIC_ARN must be set (the alertOperators function). */
export function loadAlertConfig(env: NodeJS.ProcessEnv = process.env, { requireTopic = false } = {}): AlertConfig {
  const problems: string[] = [];
  const number = (name: keyof AlertConfig, fallback: number, valid: (n: number) => boolean): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
    if (!valid(value)) problems.push(`${name}: invalid`);
    return value;
  };
  const whole = (max: number) => (n: number) => Number.isSafeInteger(n) && n >= 1 && n <= max;
  const config: AlertConfig = {
    PROVIDER_ALERT_FAILURE_RATE: number('PROVIDER_ALERT_FAILURE_RATE', 0.5, (n) => n > 0 && n <= 1),
    PROVIDER_ALERT_MIN_CALLS: number('PROVIDER_ALERT_MIN_CALLS', 5, whole(10_000)),
    PROVIDER_ALERT_WINDOW_MINUTES: number('PROVIDER_ALERT_WINDOW_MINUTES', 10, whole(120)),
    ORDER_ANOMALY_ALERT_MINUTES: number('ORDER_ANOMALY_ALERT_MINUTES', 60, whole(7 * 24 * 60)),
    ORDER_EXPECTED_MINUTES_DEFAULT: number('ORDER_EXPECTED_MINUTES_DEFAULT', 24 * 60, whole(90 * 24 * 60)),
    OPERATOR_TOPIC_ARN: env.OPERATOR_TOPIC_ARN ?? '',
  };
  if (requireTopic && env.AWS_LAMBDA_FUNCTION_NAME && !config.OPERATOR_TOPIC_ARN) problems.push('OPERATOR_TOPIC_ARN: missing');
  if (problems.length > 0) throw new ConfigError(`Configuration is incomplete: ${problems.join(', ')}`);
  return config;
}
