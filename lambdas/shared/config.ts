// The one place configuration is read. On AWS it comes from the function's environment (set by CDK), and a
// function whose environment lacks a required variable fails at start rather than on some later request. The
// local stack runs without AWS_LAMBDA_FUNCTION_NAME, so the defaults below apply there and only there.
import * as z from 'zod/mini';

const whole = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));

/** What a function needs on AWS, with the local stack's values. */
const REQUIRED_ON_AWS = {
  TABLE_NAME: 'codex',
  AWS_REGION: 'us-east-1',
  STATE_MACHINE_ARN: '',
  EVENT_BUS_NAME: 'default',
  /** Secret holding the pepper for API key hashes. */
  API_KEY_PEPPER_SECRET_ID: 'codex/api-key-pepper',
  /** The deployment stage; the stage's API Gateway usage plans and shared key are found by names built from it. */
  STAGE: 'local',
} as const;

const tunables = {
  /** Only set locally (DynamoDB Local); on AWS the SDK finds the regional endpoint itself. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  /** Whole pages of orders (see keys.order), so an owner's own block never shares a page with other owners. */
  ORDER_ID_BLOCK_SIZE: z._default(whole(100, 10_000).check(z.multipleOf(100)), 100),
  PROGRESS_MIN_INTERVAL_SECONDS: z._default(whole(0), 300),
  MAX_REQUEST_BYTES: z._default(whole(1024), 64 * 1024),
  SWEEP_MIN_AGE_SECONDS: z._default(whole(0), 120),
  CURRENCY: z._default(z.string().check(z.length(3)), 'USD'),
};

const withDefaults = z.object({
  ...Object.fromEntries(Object.entries(REQUIRED_ON_AWS).map(([name, value]) => [name, z._default(z.string(), value)])),
  ...tunables,
}) as unknown as z.ZodMiniType<Config>;

// The state machine's ARN is set on the workflow functions only (it would make the others depend on the machine).
const onAws = z.object({
  ...Object.fromEntries(Object.keys(REQUIRED_ON_AWS).map((name) => [name, name === 'STATE_MACHINE_ARN' ? z._default(z.string(), '') : z.string().check(z.minLength(1))])),
  ...tunables,
}) as unknown as z.ZodMiniType<Config>;

export type Config = { -readonly [K in keyof typeof REQUIRED_ON_AWS]: string } & {
  DYNAMODB_ENDPOINT?: string;
  ORDER_ID_BLOCK_SIZE: number;
  PROGRESS_MIN_INTERVAL_SECONDS: number;
  MAX_REQUEST_BYTES: number;
  SWEEP_MIN_AGE_SECONDS: number;
  CURRENCY: string;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = (env.AWS_LAMBDA_FUNCTION_NAME ? onAws : withDefaults).safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map(({ path }) => `${String(path[0])}: ${env[String(path[0])] === undefined ? 'missing' : 'invalid'}`);
  throw new ConfigError(`Configuration is incomplete: ${problems.join(', ')}`);
}
