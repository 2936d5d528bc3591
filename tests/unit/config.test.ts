import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambdas/shared/config.js';

const AWS_ENV = { AWS_LAMBDA_FUNCTION_NAME: 'codex-fn', TABLE_NAME: 'codex-prod', AWS_REGION: 'eu-west-1', EVENT_BUS_NAME: 'bus', API_KEY_PEPPER_SECRET_ID: 'arn:pepper', STAGE: 'prod' };

describe('configuration', () => {
  it('runs the local stack on defaults', () => {
    expect(loadConfig({})).toMatchObject({ TABLE_NAME: 'codex', STAGE: 'local', ORDER_ID_BLOCK_SIZE: 100, CURRENCY: 'USD' });
  });

  it('refuses to start a Lambda function whose environment lacks a required variable, naming each one', () => {
    const { STAGE: _stage, TABLE_NAME: _table, ...incomplete } = AWS_ENV;
    expect(() => loadConfig(incomplete)).toThrow('Configuration is incomplete: TABLE_NAME: missing, STAGE: missing');
  });

  it('takes a complete Lambda environment, with defaults for the tunables', () => {
    expect(loadConfig(AWS_ENV)).toMatchObject({ TABLE_NAME: 'codex-prod', STAGE: 'prod', PROGRESS_MIN_INTERVAL_SECONDS: 300 });
  });

  it('names a variable whose value is invalid', () => {
    expect(() => loadConfig({ ORDER_ID_BLOCK_SIZE: '150' })).toThrow('ORDER_ID_BLOCK_SIZE: invalid');
  });
});
