// The local stack in a process of its own on persisted data, armed to kill itself (SIGKILL) at a named moment
// (CODEX_KILL_AT, local/functions.ts). Its DynamoDB Local outlives the kill, as AWS's table outlives a Lambda:
// the test reads the table through it, then stops it by its process id before the next start.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/client.js';
import { DEMO_PROVIDER_ID } from '../../local/seed.js';
import type { DemoFile } from '../../local/stack-process.js';
import { LOCAL_TABLE_NAME, REPO_ROOT, freePort } from '../../local/stack.js';

export interface CrashableStack {
  /** The running stack's addresses; undefined when it died before it was ready (killed while recovering). */
  demo?: DemoFile;
  /** Resolves when the stack's process has exited: the moment it was killed at, if it was. */
  exited: Promise<{ killedAt?: string; code: number | null }>;
  output(): string;
  /**
   * The DynamoDB Local this stack started (it survives a SIGKILL of the stack); found by its data folder once the
   * stack is gone (a restart killed before the startup loop saw it).
   */
  database(): { pid: number; endpoint: string } | undefined;
  /** A clean stop (SIGINT), database included. */
  stop(): Promise<void>;
}

export async function startCrashableStack(options: {
  workDir: string;
  dataDir: string;
  killAt?: string;
  env?: Record<string, string>;
}): Promise<CrashableStack> {
  const demoFile = join(options.workDir, `demo-${Date.now()}.json`);
  // Where the stack's DynamoDB Local keeps its files (local/stack.ts): unique to this test's data folder.
  const dbPath = join(resolve(options.dataDir), 'dynamodb');
  // Node with tsx's loader, as local/stack-process.ts does: no CLI between the test and the stack's process.
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts', '--persist', options.dataDir], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(await freePort()),
      CODEX_DEMO_FILE: demoFile,
      CODEX_PROVIDER_SPEED: '10',
      CODEX_POLL_MS: '300',
      // A submission that timed out on a busy machine is sent again (same request_id) in a second, not minutes.
      CODEX_WORKFLOW_RETRY_MS: '1000',
      // The workflow's wait before resending an unconfirmed submission (10 min on AWS): seconds here.
      CODEX_WORKFLOW_WAIT_MS: '2000',
      CODEX_DEMO_KEY_RPM: '10000',
      LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...(options.killAt ? { CODEX_KILL_AT: options.killAt } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-50_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ killedAt?: string; code: number | null }>((resolve) =>
    child.once('exit', (code) => {
      const killedAt = /CODEX_KILL_AT: killed (.+)/.exec(output)?.[1];
      resolve({ code, ...(killedAt ? { killedAt } : {}) });
    }),
  );
  let database: { pid: number; endpoint: string } | undefined;
  let alive = true;
  void exited.then(() => (alive = false));

  const deadline = Date.now() + 120_000;
  let demo: DemoFile | undefined;
  while (!demo && alive) {
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the local stack did not become healthy within 120 s:\n${output}`);
    }
    database ??= findDatabase(child.pid!, alive ? undefined : dbPath);
    if (existsSync(demoFile)) {
      const parsed = JSON.parse(readFileSync(demoFile, 'utf8')) as DemoFile;
      if ((await fetch(parsed.health).catch(() => undefined))?.status === 200) demo = parsed;
    }
    if (!demo) await new Promise((r) => setTimeout(r, 150));
  }
  database ??= findDatabase(child.pid!, alive ? undefined : dbPath);
  const databaseNow = () => (database ??= findDatabase(child.pid!, alive ? undefined : dbPath));
  return {
    ...(demo ? { demo } : {}),
    exited,
    output: () => output,
    database: databaseNow,
    stop: async () => {
      if (alive) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      const db = databaseNow();
      if (db) await stopProcess(db.pid);
    },
  };
}

/** Every DynamoDB Local still running on this data folder (left by a stack killed before its database was seen). */
export function databasesOn(dataDir: string): { pid: number; endpoint: string }[] {
  const dbPath = join(resolve(dataDir), 'dynamodb');
  return processes()
    .filter((row) => isDatabaseOn(row.args, dbPath))
    .flatMap((row) => {
      const port = /-port (\d+)/.exec(row.args)?.[1];
      return port ? [{ pid: row.pid, endpoint: `http://127.0.0.1:${port}` }] : [];
    });
}

const isDatabaseOn = (args: string, dbPath: string) => args.includes('DynamoDBLocal.jar') && args.includes(`-dbPath ${dbPath}`);

function processes(): { pid: number; ppid: number; args: string }[] {
  return spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
}

/**
 * The DynamoDB Local (java) among the stack's descendants, or once the stack is gone (`orphanOn`: the database then
 * belongs to no one) the one on its data folder; and the endpoint its `-port` gives.
 */
function findDatabase(rootPid: number, orphanOn: string | undefined): { pid: number; endpoint: string } | undefined {
  const rows = processes();
  const descendants = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (!descendants.has(row.pid) && descendants.has(row.ppid)) {
        descendants.add(row.pid);
        grew = true;
      }
    }
  }
  const java =
    rows.find((row) => descendants.has(row.pid) && row.args.includes('DynamoDBLocal.jar')) ??
    (orphanOn ? rows.find((row) => isDatabaseOn(row.args, orphanOn)) : undefined);
  const port = java ? /-port (\d+)/.exec(java.args)?.[1] : undefined;
  return java && port ? { pid: java.pid, endpoint: `http://127.0.0.1:${port}` } : undefined;
}

/** Stops a process this test started (by its id), and waits until it is gone. */
export async function stopProcess(pid: number): Promise<void> {
  const gone = () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  if (gone()) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; !gone(); waited += 100) {
    if (waited === 5_000) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every item of the local stack's table. */
export async function scanTable(endpoint: string): Promise<Record<string, unknown>[]> {
  const db = createDocumentClient({ region: 'us-east-1', endpoint });
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  db.destroy();
  return items;
}

/** The orders the demo provider holds, from its state file (written before it answers an `add`). */
export function providerBook(dataDir: string): { providerId: string; providerOrderId: string; requestId?: string }[] {
  const file = join(dataDir, 'demo-provider.json');
  if (!existsSync(file)) return [];
  const state = JSON.parse(readFileSync(file, 'utf8')) as { orders: Record<string, { id: number; requestId?: string }> };
  return Object.values(state.orders).map((order) => ({
    providerId: DEMO_PROVIDER_ID,
    providerOrderId: String(order.id),
    ...(order.requestId ? { requestId: order.requestId } : {}),
  }));
}
