// CDK app entry: `cdk synth -c stage=prod` builds the stack Codex-prod (stage defaults to dev).
import { App } from 'aws-cdk-lib';
import { CodexStack } from '../lib/codex-stack.js';

const app = new App();
const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
if (typeof stage !== 'string' || !/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
  throw new Error(`Context "stage" must be lowercase letters, digits and dashes, starting with a letter; got ${JSON.stringify(stage)}`);
}

new CodexStack(app, `Codex-${stage}`, {
  stage,
  tracing: app.node.tryGetContext('tracing') === true || app.node.tryGetContext('tracing') === 'true',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
