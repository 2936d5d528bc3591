// One Codex stage: the table, the event bus, the API key pepper, the order workflow and the reseller API.
import { CfnOutput, RemovalPolicy, Stack, type StackProps, ArnFormat } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { DataTable } from './data-table.js';
import { OrderWorkflow } from './order-workflow.js';
import { CodexApi } from './codex-api.js';

export interface CodexStackProps extends StackProps {
  stage: string;
  /** X-Ray tracing of the state machine. */
  tracing?: boolean;
}

export class CodexStack extends Stack {
  constructor(scope: Construct, id: string, props: CodexStackProps) {
    super(scope, id, props);
    const { stage } = props;
    // Only dev may lose its data with the stack.
    const retain = stage !== 'dev';
    const logRemovalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const { table } = new DataTable(this, 'Data', { retain });
    const bus = new EventBus(this, 'Bus', { eventBusName: `codex-${stage}` });
    const apiKeyPepper = new Secret(this, 'ApiKeyPepper', {
      secretName: `codex/${stage}/api-key-pepper`,
      description: 'Pepper of the API key hashes: losing it invalidates every API key',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const environment = {
      TABLE_NAME: table.tableName,
      EVENT_BUS_NAME: bus.eventBusName,
      API_KEY_PEPPER_SECRET_ID: apiKeyPepper.secretArn,
      STAGE: stage,
    };

    const providerSecretsArn = this.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `codex/${stage}/providers/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const workflow = new OrderWorkflow(this, 'OrderWorkflow', {
      table,
      bus,
      environment,
      providerSecretsArn,
      logRemovalPolicy,
      tracing: props.tracing ?? false,
    });
    // The construct id stays what it was when the API served resellers only: a new id would replace the API and its URL.
    const { api } = new CodexApi(this, 'ResellerApi', { stage, table, apiKeyPepper, providerSecretsArn, environment, logRemovalPolicy });

    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: workflow.stateMachine.stateMachineArn });
  }
}
