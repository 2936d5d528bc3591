// `npm start`: the whole system locally. PORT picks the port (default 3000); `--persist [dir]` or
// CODEX_DATA_DIR keeps data on disk (default dir .local/data) so a restart carries on with open orders.
// Knobs for demos and tests: CODEX_PROVIDER_SPEED (demo provider pace multiplier), CODEX_POLL_MS (poller
// interval), CODEX_WORKFLOW_CONCURRENCY (workflow steps run at once, default 4), CODEX_DEMO_KEY_RPM (requests a
// minute for the demo key, default 120), CODEX_DEMO_FILE (where the demo credentials go, default .local/demo.json),
// CODEX_PROVIDER_PUSH=1 (the demo provider also pushes status callbacks, docs/providers.md), CODEX_ADMIN_ALLOWED_SOURCES
// (comma-separated addresses and CIDR ranges that may call /admin/..., docs/admin/access.md), CODEX_STORE=memory
// (the in-memory DynamoDB engine instead of DynamoDB Local: no Java, nothing kept), CODEX_WORKFLOW_RETRY_MS (every
// workflow retry interval, for tests), CODEX_KILL_AT (crash tests: local/functions.ts), CODEX_CONTAINERS=isolated
// (each invocation in a Lambda-like container of its own, local/containers.ts), CODEX_AWS_LATENCY_MS=<read>,<write>
// (milliseconds added to every DynamoDB read and write call, local/aws-latency.ts).
import './lambda-aliases.js';
import { resolve } from 'node:path';
import { parseAwsLatency } from './aws-latency.js';
import { JavaMissing } from './dynamodb-local.js';
import { LOCAL_OPERATORS_EMAIL } from './operator-alerts.js';
import { DEMO_ADMIN_TOKEN_HOURS, REPO_ROOT, startLocalStack } from './stack.js';

const listOf = (text: string) =>
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

function dataDirFromArgs(argv: string[]): string | undefined {
  const at = argv.indexOf('--persist');
  if (at >= 0) {
    const next = argv[at + 1];
    return next && !next.startsWith('--') ? next : resolve(REPO_ROOT, '.local/data');
  }
  return process.env.CODEX_DATA_DIR || undefined;
}

function containerModeFromEnv(text: string | undefined): 'shared' | 'isolated' | undefined {
  if (text === undefined || text === '') return undefined;
  if (text === 'shared' || text === 'isolated') return text;
  throw new Error(`CODEX_CONTAINERS must be "shared" (the default) or "isolated"; got "${text}"`);
}

async function main(): Promise<void> {
  const dataDir = dataDirFromArgs(process.argv.slice(2));
  const containers = containerModeFromEnv(process.env.CODEX_CONTAINERS);
  const awsLatency = parseAwsLatency(process.env.CODEX_AWS_LATENCY_MS);
  const demoFile = resolve(process.env.CODEX_DEMO_FILE ?? resolve(REPO_ROOT, '.local/demo.json'));
  const stack = await startLocalStack({
    port: Number(process.env.PORT ?? 3000),
    ...(dataDir ? { dataDir } : {}),
    demoFile,
    logLevel: process.env.LOG_LEVEL ?? 'INFO',
    printMetrics: process.env.POWERTOOLS_METRICS_DISABLED !== 'true',
    ...(process.env.CODEX_PROVIDER_SPEED ? { providerSpeed: Number(process.env.CODEX_PROVIDER_SPEED) } : {}),
    ...(process.env.CODEX_POLL_MS ? { pollEveryMs: Number(process.env.CODEX_POLL_MS) } : {}),
    ...(process.env.CODEX_WORKFLOW_CONCURRENCY ? { workflowConcurrency: Number(process.env.CODEX_WORKFLOW_CONCURRENCY) } : {}),
    ...(process.env.CODEX_WORKFLOW_RETRY_MS ? { retryDelayMs: Number(process.env.CODEX_WORKFLOW_RETRY_MS) } : {}),
    ...(process.env.CODEX_WORKFLOW_WAIT_MS ? { waitDelayMs: Number(process.env.CODEX_WORKFLOW_WAIT_MS) } : {}),
    ...(process.env.CODEX_DEMO_KEY_RPM ? { demoKeyRequestsPerMinute: Number(process.env.CODEX_DEMO_KEY_RPM) } : {}),
    ...(process.env.CODEX_PROVIDER_PUSH === '1' ? { providerPushes: true } : {}),
    ...(process.env.CODEX_ADMIN_ALLOWED_SOURCES ? { adminAllowedSources: listOf(process.env.CODEX_ADMIN_ALLOWED_SOURCES) } : {}),
    ...(process.env.CODEX_STORE === 'memory' ? { store: 'memory' as const } : {}),
    ...(containers ? { containers } : {}),
    ...(awsLatency ? { awsLatency } : {}),
  });
  console.log(
    [
      '',
      'Codex is running locally.',
      `  API base:      ${stack.apiBase}`,
      `  REST API v1:   ${stack.v1Url}   (docs: ${stack.docsUrl})`,
      `  Reseller API:  POST ${stack.v2Url}   (key + action, form-encoded or JSON)`,
      `  Health:        ${stack.apiBase}/health`,
      `  Demo provider: ${stack.provider.url}`,
      `  Demo reseller: ${stack.reseller.email}, API key in ${demoFile}`,
      `  Demo customer: ${stack.customer.email}, password in ${demoFile}`,
      `  Admin API:     ${stack.adminUrl}   (ID tokens of ${stack.admin.email} and ${stack.operator.email} in ${demoFile},`,
      `                 valid ${DEMO_ADMIN_TOKEN_HOURS} h; fresh ones: npm run admin:token -- --role admin|operator)`,
      `  Email outbox:  ${stack.outboxUrl}?to=<email>   (account and notification emails: nothing leaves this machine)`,
      `  Operators:     ${stack.outboxUrl}?to=${LOCAL_OPERATORS_EMAIL}   (alerts: failing providers, stuck orders, dead letters)`,
      `  Containers:    ${containers === 'isolated' ? `isolated: one process per concurrent invocation (${stack.apiBase}/_local/containers)` : 'shared: every function in this process'}${awsLatency ? `; DynamoDB +${awsLatency.readMs} ms a read, +${awsLatency.writeMs} ms a write` : ''}`,
      `  Data:          ${dataDir ? `on disk in ${dataDir}` : process.env.CODEX_STORE === 'memory' ? 'in the in-memory DynamoDB engine (no Java)' : 'in memory (use --persist to keep it)'}`,
      '',
      `  Try: curl -s ${stack.v2Url} -d key=$(node -p "require('${demoFile}').reseller.apiKey") -d action=services`,
      `       curl -s ${stack.adminUrl}/me -H "Authorization: $(node -p "require('${demoFile}').admin.idToken")"`,
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error) => {
  if (error instanceof JavaMissing) console.error(error.message);
  else console.error('Codex could not start:', error);
  process.exit(1);
});
