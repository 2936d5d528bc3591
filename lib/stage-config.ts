// What differs between stages, in one place: data retention and protection, tracing, the edge (WAF, custom domain)
// and the alarms' thresholds. `production` stages (prod, or any given `-c production=true`) keep their data and are
// protected; every value can be overridden from context (bin/codex.ts, README "Deploy", docs/operations.md).
import { Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

export interface AlarmThresholds {
  /** API Gateway 5xx answers as a percentage of requests, over 5 minutes. */
  api5xxPercent: number;
  /** API Gateway p99 latency (ms), over 5 minutes. */
  apiP99LatencyMs: number;
  /** Errors of one function within 5 minutes. */
  functionErrors: number;
  /** Throttled invocations of one function within 5 minutes. */
  functionThrottles: number;
  /** Failed provider calls as a percentage of calls, over 15 minutes. */
  providerErrorPercent: number;
  /** Failed webhook deliveries as a percentage of attempts, over 15 minutes. */
  webhookFailurePercent: number;
  /** Webhook deliveries within 15 minutes below which the failure rate does not alarm (one dead endpoint reads 100%). */
  webhookMinDeliveries: number;
  /** How far past its service's expected time the oldest open order of a provider may be (minutes). */
  orderOverdueMinutes: number;
  /** The poller is silent (no invocation) for this many minutes. */
  pollerSilentMinutes: number;
  /** Failed, timed-out or aborted executions of the order workflow (each outcome alarms apart) within 5 minutes. */
  failedExecutions: number;
}

export interface StageConfig {
  stage: string;
  production: boolean;
  /** Table, queues, DLQs, state machine, secrets and log groups outlive the stack. */
  retainData: boolean;
  terminationProtection: boolean;
  logRetention: RetentionDays;
  /** X-Ray on functions, the API stage and the state machine; the share of requests sampled (0 to 1). */
  tracing: { enabled: boolean; sampleRate: number };
  /** A WAF web ACL in front of the API. */
  waf: boolean;
  /** The WAF's rate-based rule: requests one address may send in 5 minutes before it is blocked for a while. */
  wafRateLimit: number;
  /**
   * Serve the API on this domain with this ACM certificate (same region); Route 53 alias when a zone is given. The
   * stage is mapped at `basePath` (the domain's root when absent), and PUBLIC_API_URL follows the domain.
   */
  customDomain?: { domainName: string; certificateArn: string; hostedZoneId?: string; zoneName?: string; basePath?: string };
  alarms: AlarmThresholds;
}

const DEFAULT_ALARMS: AlarmThresholds = {
  api5xxPercent: 1,
  apiP99LatencyMs: 3000,
  functionErrors: 1,
  functionThrottles: 1,
  providerErrorPercent: 20,
  webhookFailurePercent: 50,
  webhookMinDeliveries: 20,
  orderOverdueMinutes: 60,
  pollerSilentMinutes: 5,
  failedExecutions: 1,
};

/** Reads a context value: undefined when absent or empty. */
export type ContextReader = (key: string) => string | undefined;

export function stageConfig(stage: string, context: ContextReader = () => undefined): StageConfig {
  const flag = (key: string): boolean | undefined => {
    const value = context(key);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') throw new Error(`Context "${key}" must be true or false; got ${JSON.stringify(value)}`);
    return value === 'true';
  };
  const number = (key: string, fallback: number, min: number, max: number): number => {
    const value = context(key);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw new Error(`Context "${key}" must be a number from ${min} to ${max}; got ${value}`);
    return parsed;
  };
  const production = flag('production') ?? stage === 'prod';
  const alarms = Object.fromEntries(
    Object.entries(DEFAULT_ALARMS).map(([key, fallback]) => [key, number(`alarm.${key}`, fallback, 0, 1_000_000)]),
  ) as unknown as AlarmThresholds;
  const domainName = context('domainName');
  const certificateArn = context('certificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined)) throw new Error('Give both "domainName" and "certificateArn", or neither');
  const hostedZoneId = context('hostedZoneId');
  const zoneName = context('zoneName');
  if ((hostedZoneId === undefined) !== (zoneName === undefined)) throw new Error('Give both "hostedZoneId" and "zoneName" (its domain), or neither');
  const basePath = context('domainBasePath');
  if ((hostedZoneId || basePath) && !domainName) throw new Error('"hostedZoneId", "zoneName" and "domainBasePath" need "domainName"');
  if (basePath !== undefined && !/^[A-Za-z0-9_.-]+$/.test(basePath))
    throw new Error(`Context "domainBasePath" must be one path segment; got ${JSON.stringify(basePath)}`);
  return {
    stage,
    production,
    // Only dev may lose its data with the stack.
    retainData: stage !== 'dev',
    terminationProtection: flag('terminationProtection') ?? production,
    logRetention: production ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_MONTH,
    tracing: { enabled: flag('tracing') ?? true, sampleRate: number('tracingSampleRate', production ? 0.05 : 1, 0, 1) },
    waf: flag('waf') ?? production,
    // Per address: resellers' panels poll order statuses from one server, so well above what a person sends.
    wafRateLimit: number('wafRateLimit', 10_000, 100, 2_000_000_000),
    ...(domainName && certificateArn
      ? {
          customDomain: {
            domainName,
            certificateArn,
            ...(hostedZoneId ? { hostedZoneId } : {}),
            ...(zoneName ? { zoneName } : {}),
            ...(basePath ? { basePath } : {}),
          },
        }
      : {}),
    alarms,
  };
}

/** The stage config of the stack a construct is in (CodexStack.config), for constructs built without it in their props. */
export function stageConfigOf(scope: IConstruct): StageConfig | undefined {
  return (Stack.of(scope) as Stack & { config?: StageConfig }).config;
}
