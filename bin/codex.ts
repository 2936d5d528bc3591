// CDK app entry: `cdk synth -c stage=prod` builds the stack Codex-prod (stage defaults to dev). Context keys read here:
// emailFrom, demoPayments, cryptomusSecret, publicApiUrl, operatorEmail (subscribes to the operators' alerts topic),
// adminAllowedSources (comma-separated CIDR ranges that alone may call /admin/..., docs/admin/access.md), minDeposit,
// maxDeposit, maxDailySpend, maxActiveOrders. Read by lib/stage-config.ts (what differs by stage): production,
// terminationProtection, tracing, tracingSampleRate, waf, wafRateLimit, domainName, certificateArn, hostedZoneId,
// zoneName, domainBasePath and the alarm thresholds alarm.api5xxPercent, alarm.apiP99LatencyMs, alarm.functionErrors,
// alarm.functionThrottles, alarm.providerErrorPercent, alarm.webhookFailurePercent, alarm.webhookMinDeliveries,
// alarm.orderOverdueMinutes, alarm.pollerSilentMinutes, alarm.failedExecutions. Defaults and meanings: README, "Deploying".
import { App } from 'aws-cdk-lib';
import { CodexStack } from '../lib/codex-stack.js';
import { stageConfig } from '../lib/stage-config.js';

const app = new App();
const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
if (typeof stage !== 'string' || !/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
  throw new Error(`Context "stage" must be lowercase letters, digits and dashes, starting with a letter; got ${JSON.stringify(stage)}`);
}

const context = (name: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(name);
  return value === undefined || value === null || value === '' ? undefined : String(value);
};
const flag = (name: string): boolean | undefined => (context(name) === undefined ? undefined : context(name) === 'true');
const maxActiveOrders = context('maxActiveOrders');

new CodexStack(app, `Codex-${stage}`, {
  stage,
  config: stageConfig(stage, context),
  ...(context('emailFrom') ? { emailFrom: context('emailFrom') } : {}),
  ...(flag('demoPayments') !== undefined ? { demoPayments: flag('demoPayments') } : {}),
  ...(context('cryptomusSecret') ? { cryptomusSecretName: context('cryptomusSecret') } : {}),
  ...(context('publicApiUrl') ? { publicApiUrl: context('publicApiUrl') } : {}),
  ...(context('operatorEmail') ? { operatorEmail: context('operatorEmail') } : {}),
  ...(context('adminAllowedSources') ? { adminAllowedSources: context('adminAllowedSources') } : {}),
  limits: {
    ...(context('minDeposit') ? { minDeposit: context('minDeposit') } : {}),
    ...(context('maxDeposit') ? { maxDeposit: context('maxDeposit') } : {}),
    ...(context('maxDailySpend') ? { maxDailySpend: context('maxDailySpend') } : {}),
    ...(maxActiveOrders ? { maxActiveOrders: Number(maxActiveOrders) } : {}),
  },
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
