// One Codex stage: the table, the event bus, the API key pepper, the order workflow and the reseller API.
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, ArnFormat, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { DataTable } from './data-table.js';
import { Events } from './events.js';
import { Finance, grantAdminFinance } from './finance.js';
import { FunctionRoles } from './function-roles.js';
import { OrderWorkflow } from './order-workflow.js';
import { adminSourceRanges } from './admin-access-policy.js';
import { AdminUserPool } from './admin-user-pool.js';
import { CodexApi } from './codex-api.js';
import { OperatorAlerts } from './operator-alerts.js';
import { Operations } from './operations/operations-stack.js';
import { grantAdminCatalog } from './catalog-grants.js';
import { grantAdminOrders } from './admin-orders-grants.js';
import { grantProviderCallbacks } from './provider-callbacks.js';
import { type StageConfig, stageConfig } from './stage-config.js';
import { UsageKeys } from './usage-keys.js';
import { acknowledgeWildcardResource } from './operations/nag.js';
import { retainByStage } from './operations/retention.js';
import { ApiTraceSampling } from './operations/tracing.js';
import { ApiDomain, customDomainUrl } from './operations/api-domain.js';
import { ApiFirewall } from './operations/api-firewall.js';

export interface CodexStackProps extends StackProps {
  stage: string;
  /** What differs between stages (lib/stage-config.ts); `stageConfig(stage)` when absent. */
  config?: StageConfig;
  /** From address of account emails; its address or domain must be a verified SES identity. */
  emailFrom?: string;
  /**
   * Offer the demo payment gateway (checkout page and signed callbacks): off unless asked for (`-c demoPayments=true`),
   * on every stage: anyone who registers could otherwise give themselves money on a deployed stage.
   */
  demoPayments?: boolean;
  /** Name of an existing secret holding {"merchant": "<uuid>", "paymentKey": "<key>"}: offers Cryptomus. */
  cryptomusSecretName?: string;
  /** Where clients reach the API (a custom domain); links in emails and checkout URLs use it. */
  publicApiUrl?: string;
  /** Decimal amounts in the stage's currency, and a count; a limit left out is off (the minimum deposit is 1.00). */
  limits?: { minDeposit?: string; maxDeposit?: string; maxDailySpend?: string; maxActiveOrders?: number };
  /** Subscribed by email to the operators' topic (alerts: unhealthy providers, stuck orders, dead letters). */
  operatorEmail?: string;
  /** Comma-separated addresses and CIDR ranges that alone may call the admin API (`-c adminAllowedSources=...`). */
  adminAllowedSources?: string;
}

export class CodexStack extends Stack {
  readonly config: StageConfig;

  constructor(scope: Construct, id: string, props: CodexStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const config = props.config ?? stageConfig(stage);
    this.config = config;
    this.terminationProtection = props.terminationProtection ?? config.terminationProtection;
    retainByStage(this, config);
    const retain = config.retainData;
    const logRemovalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // First, so that every function built below finds it (lib/function-roles.ts).
    new FunctionRoles(this, stage);
    const { table } = new DataTable(this, 'Data', { retain });
    const bus = new EventBus(this, 'Bus', { eventBusName: `codex-${stage}` });
    const apiKeyPepper = new Secret(this, 'ApiKeyPepper', {
      secretName: `codex/${stage}/api-key-pepper`,
      description: 'Pepper of the API key hashes: losing it invalidates every API key',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(apiKeyPepper).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Never rotated: a new pepper would invalidate every API key (only their hashes are kept)',
    });
    // Ed25519 keys are derived from these seeds; rotation adds a seed and makes it current (docs/auth.md).
    const jwtSigningKeys = new Secret(this, 'JwtSigningKeys', {
      secretName: `codex/${stage}/jwt-signing-keys`,
      description: 'Seeds of the access tokens\' signing keys: {"current": "<kid>", "<kid>": "<seed>", ...}',
      generateSecretString: { secretStringTemplate: JSON.stringify({ current: 'k1' }), generateStringKey: 'k1', passwordLength: 64, excludePunctuation: true },
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(jwtSigningKeys).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotated by hand (docs/auth.md): a new seed is added and made current while the old one still verifies tokens it signed',
    });
    // Reseller webhook signing secrets are stored sealed (AES-256-GCM) under a key derived from this one.
    const webhookSecretKey = new Secret(this, 'WebhookSecretKey', {
      secretName: `codex/${stage}/webhook-secret-key`,
      description: 'Key material sealing reseller webhook secrets at rest: losing it invalidates every webhook secret',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(webhookSecretKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Never rotated: webhook secrets are sealed under it, so a new key would invalidate every reseller webhook secret',
    });
    const demoPayments = props.demoPayments === true;
    const demoGatewaySecret = demoPayments
      ? new Secret(this, 'DemoGatewaySecret', {
          secretName: `codex/${stage}/payments/demo`,
          description: 'Signing secret of the demo payment gateway (stages deployed with demoPayments=true only)',
          generateSecretString: { passwordLength: 48, excludePunctuation: true },
          removalPolicy: RemovalPolicy.DESTROY,
        })
      : undefined;
    if (demoGatewaySecret) {
      Validations.of(demoGatewaySecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'The demo gateway (no real money) and the payments function share it; a rotation would break pending demo checkouts for nothing',
      });
    }
    const cryptomusSecret = props.cryptomusSecretName ? Secret.fromSecretNameV2(this, 'CryptomusSecret', props.cryptomusSecretName) : undefined;
    const emailFrom = props.emailFrom ?? `Codex <no-reply@codex-${stage}.example.com>`;
    const emailAddress = /<([^>]+)>/.exec(emailFrom)?.[1] ?? emailFrom;
    const sesIdentity = (name: string) => this.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    const emailIdentityArns = [sesIdentity(emailAddress), sesIdentity(emailAddress.split('@')[1] ?? emailAddress)];
    const limits = props.limits ?? {};
    // Given explicitly, or the custom domain's: links must name the address clients use, not the execute-api one.
    const publicApiUrl = props.publicApiUrl ?? (config.customDomain ? customDomainUrl(config.customDomain) : undefined);
    const environment = {
      TABLE_NAME: table.tableName,
      EVENT_BUS_NAME: bus.eventBusName,
      API_KEY_PEPPER_SECRET_ID: apiKeyPepper.secretArn,
      STAGE: stage,
      JWT_SIGNING_SECRET_ID: jwtSigningKeys.secretArn,
      WEBHOOK_SECRET_KEY_SECRET_ID: webhookSecretKey.secretArn,
      EMAIL_FROM: emailFrom,
      PAYMENT_METHODS: [...(demoPayments ? ['demo'] : []), ...(cryptomusSecret ? ['cryptomus'] : [])].join(','),
      ...(demoGatewaySecret ? { DEMO_GATEWAY_SECRET_ID: demoGatewaySecret.secretArn } : {}),
      ...(cryptomusSecret ? { CRYPTOMUS_SECRET_ID: cryptomusSecret.secretName } : {}),
      ...(publicApiUrl ? { PUBLIC_API_URL: publicApiUrl } : {}),
      ...(limits.minDeposit ? { MIN_DEPOSIT: limits.minDeposit } : {}),
      ...(limits.maxDeposit ? { MAX_DEPOSIT: limits.maxDeposit } : {}),
      // Read where orders are placed (both APIs) and settled (the workflow frees the active count).
      ...(limits.maxDailySpend ? { MAX_DAILY_SPEND: limits.maxDailySpend } : {}),
      ...(limits.maxActiveOrders ? { MAX_ACTIVE_ORDERS: String(limits.maxActiveOrders) } : {}),
    };

    const providerSecretsArn = this.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `codex/${stage}/providers/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // Stack-wide, as several functions call providers: this finding concerns these secrets and nothing else.
    acknowledgeWildcardResource(
      this,
      providerSecretsArn,
      "One secret per provider, created by admins at run time (the admin API's provider settings): the functions that call providers read any of them",
    );
    // Invocations given up on whose work is done again anyway (the next scheduled run, a profile's next change, a job
    // read as failed): each message names its function; look, then purge (docs/operations.md, "Failure paths"). One queue
    // for them all keeps the stack under CloudFormation's 500 resources.
    const failedRuns = new Queue(this, 'FailedRuns', { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    const isDeadLetters = 'The failed runs queue is itself where failures go (alarmed); it has no dead-letter queue of its own';
    Validations.of(failedRuns).acknowledge({ id: 'AwsSolutions-SQS3', reason: isDeadLetters }, { id: 'Serverless-SQSRedrivePolicy', reason: isDeadLetters });
    const workflow = new OrderWorkflow(this, 'OrderWorkflow', {
      table,
      bus,
      environment,
      providerSecretsArn,
      logRemovalPolicy,
      tracing: config.tracing.enabled,
      failedRuns,
    });
    const events = new Events(this, 'Events', { table, bus, environment, logRemovalPolicy, retain });
    // Notification emails: reads the owner's profile and the catalog, writes only its claims (EVENT#<id> items), sends
    // from the account emails' identities.
    const emailConsumer = events.consumers.get('sendNotificationEmails')!.function;
    table.grantReadData(emailConsumer);
    emailConsumer.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EVENT#*'] } },
      }),
    );
    emailConsumer.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: emailIdentityArns }));
    // The notification feed's consumer only writes notifications and their counts, all under `USER#<id>`, in
    // transactions (put, update, condition check); it reads nothing.
    events.consumers.get('recordNotifications')?.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] } },
      }),
    );
    // Webhook deliveries read the webhook and the owner's email (`USER#<id>`) and their claims and failure counters
    // (`EVENT#<id>`), and write delivery records and health (`USER#`) and claims and counters (`EVENT#`); the sealed
    // signing secrets open with the key; the owner of a disabled endpoint is emailed.
    const deliverWebhooks = events.consumers.get('deliverWebhooks')!.function;
    deliverWebhooks.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*', 'EVENT#*'] } },
      }),
    );
    webhookSecretKey.grantRead(deliverWebhooks);
    deliverWebhooks.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: emailIdentityArns }));
    // Admin API, finance: the stream's totals and reconciliation jobs.
    new Finance(this, 'Finance', { table, environment, logRemovalPolicy, failedRuns });
    const operators = new OperatorAlerts(this, 'OperatorAlerts', {
      stage,
      events,
      ...(props.operatorEmail ? { email: props.operatorEmail } : {}),
    });
    // The poller publishes provider.unhealthy itself; the sweeper marks overdue orders (one UpdateItem each, which the
    // stream turns into order.needs_attention) and otherwise only reads.
    bus.grantPutEventsTo(workflow.functions.pollProviders);
    table.grant(workflow.functions.sweepOrders, 'dynamodb:UpdateItem');
    // Issue 11: each mark also raises the order in the admin API's attention queue (one Put under `ATTENTION`).
    workflow.functions.sweepOrders.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ATTENTION'] } },
      }),
    );
    // The alertOperators consumer only claims each event once (EVENT#<id> / CLAIM#alertOperators); it reads nothing.
    events.consumers.get('alertOperators')?.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EVENT#*'] } },
      }),
    );
    const admins = new AdminUserPool(this, 'AdminUserPool', { stage, retain, table, environment, logRemovalPolicy });
    // The construct id stays what it was when the API served resellers only: a new id would replace the API and its URL.
    const codexApi = new CodexApi(this, 'ResellerApi', {
      stage,
      table,
      apiKeyPepper,
      providerSecretsArn,
      environment,
      logRemovalPolicy,
      adminUserPool: admins.userPool,
      adminClientId: admins.client.userPoolClientId,
      ...(props.adminAllowedSources ? { adminAllowedSources: adminSourceRanges(props.adminAllowedSources) } : {}),
      customers: {
        jwtSigningKeys,
        webhookSecretKey,
        emailIdentityArns,
        ...(demoGatewaySecret ? { demoGatewaySecret } : {}),
        ...(cryptomusSecret ? { cryptomusSecret } : {}),
      },
    });

    const { api } = codexApi;
    // Admin API: users. adminUsers reads and writes the table only; adminResellers also makes API keys (the pepper).
    // Neither touches usage keys: assignUsageKeys, alone, makes and moves them from the stream.
    for (const name of ['adminUsers', 'adminResellers'] as const) {
      const fn = codexApi.functions.get(name);
      if (fn) table.grantReadWriteData(fn);
    }
    const adminResellers = codexApi.functions.get('adminResellers');
    if (adminResellers) apiKeyPepper.grantRead(adminResellers);
    new UsageKeys(this, 'UsageKeys', { table, gatewayKeysPolicy: codexApi.gatewayKeysPolicy, environment, logRemovalPolicy, failedRuns });
    if (config.tracing.enabled) new ApiTraceSampling(this, 'ApiTraceSampling', { api: codexApi.api, config });
    grantAdminFinance(codexApi.functions.get('adminFinance'), table);
    grantProviderCallbacks(this, codexApi.functions.get('providerCallbacks'), { table, stage, stateMachineArn: workflow.stateMachine.stateMachineArn });
    // Admin API: catalog (services, providers, their secrets under codex/<stage>/providers/*).
    grantAdminCatalog(codexApi.functions, { table, providerSecretsArn });
    grantAdminOrders(codexApi.functions, { table, providerSecretsArn, stateMachineArn: workflow.stateMachine.stateMachineArn });
    // Admin settings, promo codes and the audit log: the settings item, the promo codes and the audit entries (read,
    // and written with their changes in one transaction); nothing else is changed there, but the audit search reads
    // AUDIT#<day> partitions and GET /me nothing at all, so read and write on the table it is.
    const adminSettings = codexApi.functions.get('adminSettings');
    if (adminSettings) table.grantReadWriteData(adminSettings);
    // Links in notification emails: the public URL when the stage has one, the API's own otherwise (account emails
    // link the address the request came to, which is the same).
    if (!publicApiUrl) emailConsumer.addEnvironment('PUBLIC_API_URL', api.url);

    // The edge (docs/operations.md, "Edge"): the WAF in front of the stage and the custom domain, as config says.
    if (config.waf) new ApiFirewall(this, 'ApiFirewall', { stage, apiStage: api.deploymentStage, rateLimit: config.wafRateLimit });
    else {
      Validations.of(api.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: 'No WAF on this stage by its config (on by default in production stages; -c waf=true adds it, $9 a month)',
      });
    }
    if (config.customDomain) {
      const { domain } = new ApiDomain(this, 'ApiDomain', api, config.customDomain);
      new CfnOutput(this, 'PublicApiUrl', { value: customDomainUrl(config.customDomain), description: 'The API on its custom domain' });
      if (!config.customDomain.hostedZoneId) {
        new CfnOutput(this, 'ApiDomainTarget', {
          value: domain.domainNameAliasDomainName,
          description: `Point ${config.customDomain.domainName} here (CNAME or alias)`,
        });
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: workflow.stateMachine.stateMachineArn });
    // Last: the alarms and the dashboard watch every function and dead-letter queue built above.
    const operations = new Operations(this, 'Operations', { config, topic: operators.topic, api, stateMachine: workflow.stateMachine });
    new CfnOutput(this, 'DashboardName', { value: operations.dashboard.dashboardName, description: 'CloudWatch dashboard of the stage' });
    new CfnOutput(this, 'OperatorTopicArn', { value: operators.topic.topicArn, description: 'Subscribe operators here (email, chat or a bot webhook)' });
  }
}
