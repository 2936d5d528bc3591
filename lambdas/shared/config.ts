// The one place configuration is read. On AWS it comes from the function's environment (set by CDK);
// the local stack sets the same variables before it loads any handler.
import * as z from 'zod';

const ConfigSchema = z.object({
  TABLE_NAME: z.string().default('codex'),
  AWS_REGION: z.string().default('us-east-1'),
  /** Only set locally (DynamoDB Local); on AWS the SDK finds the regional endpoint itself. */
  DYNAMODB_ENDPOINT: z.string().url().optional(),
  STATE_MACHINE_ARN: z.string().default(''),
  EVENT_BUS_NAME: z.string().default('default'),
  /** Secret holding the pepper for API key hashes. */
  API_KEY_PEPPER_SECRET_ID: z.string().default('codex/api-key-pepper'),
  /** Whole pages of orders (see keys.order), so an owner's own block never shares a page with other owners. */
  ORDER_ID_BLOCK_SIZE: z.coerce.number().int().min(100).max(10_000).multipleOf(100).default(100),
  PROGRESS_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(300),
  MAX_REQUEST_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
  SWEEP_MIN_AGE_SECONDS: z.coerce.number().int().min(0).default(120),
  CURRENCY: z.string().length(3).default('USD'),
  /** The deployment stage; the stage's API Gateway usage plans and shared key are found by names built from it. */
  STAGE: z.string().min(1).default('local'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return ConfigSchema.parse(env);
}
