import { describe, expect, it } from 'vitest';
import { loadAlertConfig, loadConfig } from '../../lambdas/shared/config.js';

const AWS_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: 'codex-fn',
  TABLE_NAME: 'codex-prod',
  AWS_REGION: 'eu-west-1',
  EVENT_BUS_NAME: 'bus',
  API_KEY_PEPPER_SECRET_ID: 'arn:pepper',
  STAGE: 'prod',
};

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

describe('configuration values', () => {
  it('reads numbers and the DynamoDB Local endpoint', () => {
    expect(loadConfig({ ORDER_ID_BLOCK_SIZE: '200', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', MAX_REQUEST_BYTES: '2048' })).toMatchObject({
      ORDER_ID_BLOCK_SIZE: 200,
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      MAX_REQUEST_BYTES: 2048,
    });
  });

  it('refuses values that are not whole numbers in range, a bad endpoint and a bad currency', () => {
    expect(() => loadConfig({ MAX_REQUEST_BYTES: '10', SWEEP_MIN_AGE_SECONDS: '1.5', DYNAMODB_ENDPOINT: 'not a url', CURRENCY: 'usd' })).toThrow(
      'DYNAMODB_ENDPOINT: invalid, CURRENCY: invalid, MAX_REQUEST_BYTES: invalid, SWEEP_MIN_AGE_SECONDS: invalid',
    );
  });
});

describe('what only some functions need', () => {
  it('fails the cold start of a Lambda function that lacks it, and never the local stack', async () => {
    const { requireOnLambda } = await import('../../lambdas/shared/platform/config.js');
    const { usePlatform } = await import('../../lambdas/shared/platform.js');
    const saved = { ...process.env };
    try {
      Object.assign(process.env, AWS_ENV);
      delete process.env.STATE_MACHINE_ARN;
      usePlatform({});
      expect(() => requireOnLambda('STATE_MACHINE_ARN')).toThrow('Configuration is incomplete: STATE_MACHINE_ARN: missing');
      process.env.STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:1:stateMachine:codex';
      usePlatform({});
      expect(() => requireOnLambda('STATE_MACHINE_ARN')).not.toThrow();
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      delete process.env.STATE_MACHINE_ARN;
      usePlatform({});
      expect(() => requireOnLambda('STATE_MACHINE_ARN')).not.toThrow();
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      usePlatform({});
    }
  });
});

describe('operator alert settings', () => {
  it('default to: unhealthy at half of at least 5 calls failing in 10 minutes, odd answers for an hour, orders expected within a day', () => {
    expect(loadAlertConfig(AWS_ENV)).toEqual({
      PROVIDER_ALERT_FAILURE_RATE: 0.5,
      PROVIDER_ALERT_MIN_CALLS: 5,
      PROVIDER_ALERT_WINDOW_MINUTES: 10,
      ORDER_ANOMALY_ALERT_MINUTES: 60,
      ORDER_EXPECTED_MINUTES_DEFAULT: 1440,
      OPERATOR_TOPIC_ARN: '',
    });
  });

  it('take a failure rate between 0 and 1 and refuse anything else', () => {
    expect(loadAlertConfig({ PROVIDER_ALERT_FAILURE_RATE: '0.25' }).PROVIDER_ALERT_FAILURE_RATE).toBe(0.25);
    expect(loadAlertConfig({ PROVIDER_ALERT_FAILURE_RATE: '1' }).PROVIDER_ALERT_FAILURE_RATE).toBe(1);
    for (const bad of ['0', '1.5', '-0.2', '50%', 'half'])
      expect(() => loadAlertConfig({ PROVIDER_ALERT_FAILURE_RATE: bad }), bad).toThrow('PROVIDER_ALERT_FAILURE_RATE: invalid');
    expect(() => loadAlertConfig({ PROVIDER_ALERT_MIN_CALLS: '0' })).toThrow('PROVIDER_ALERT_MIN_CALLS: invalid');
    expect(() => loadAlertConfig({ ORDER_EXPECTED_MINUTES_DEFAULT: '2.5' })).toThrow('ORDER_EXPECTED_MINUTES_DEFAULT: invalid');
  });

  it("need the operators' topic on the alertOperators function on Lambda, and only there", () => {
    expect(() => loadAlertConfig(AWS_ENV, { requireTopic: true })).toThrow('OPERATOR_TOPIC_ARN: missing');
    expect(loadAlertConfig({ ...AWS_ENV, OPERATOR_TOPIC_ARN: 'arn:topic' }, { requireTopic: true }).OPERATOR_TOPIC_ARN).toBe('arn:topic');
    expect(loadAlertConfig(AWS_ENV).OPERATOR_TOPIC_ARN).toBe('');
    expect(loadAlertConfig({}, { requireTopic: true }).OPERATOR_TOPIC_ARN).toBe('');
  });
});
