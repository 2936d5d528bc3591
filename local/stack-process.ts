// Starts the local stack the way a user does (`npm start` runs `tsx local/main.ts`) in a process of its own,
// for the end-to-end tests and the benchmark.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, freePort } from './stack.js';

export interface DemoFile {
  apiBase: string;
  v1Url: string;
  v2Url: string;
  docsUrl: string;
  outboxUrl: string;
  health: string;
  providerUrl: string;
  dynamoEndpoint: string;
  reseller: { email: string; apiKey: string };
  customer: { email: string; password: string };
  /** The admin API and ID tokens of the local admin user pool's admin and operator. */
  adminUrl: string;
  admin: { email: string; idToken: string };
  operator: { email: string; idToken: string };
  /** How the functions run (CODEX_CONTAINERS) and the emulated DynamoDB round trips (CODEX_AWS_LATENCY_MS), when set. */
  containers: 'shared' | 'isolated';
  awsLatencyMs?: { read: number; write: number };
}

export interface StackProcess {
  child: ChildProcess;
  demo: DemoFile;
  output: () => string;
  /** Sends a signal and waits for the process to exit; returns its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startStackProcess(options: { workDir: string; persistDir?: string; env?: Record<string, string> }): Promise<StackProcess> {
  const demoFile = join(options.workDir, `demo-${process.pid}-${Date.now()}.json`);
  const port = await freePort();
  const args = ['local/main.ts', ...(options.persistDir ? ['--persist', options.persistDir] : [])];
  // Node with tsx's loader rather than the tsx CLI: the CLI relays a signal to its child and, when the child does not
  // acknowledge it within 30 ms (a busy machine), kills it with SIGKILL instead (exit 130, DynamoDB Local orphaned).
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      CODEX_DEMO_FILE: demoFile,
      CODEX_PROVIDER_SPEED: '10',
      CODEX_POLL_MS: '300',
      CODEX_DEMO_KEY_RPM: '10000',
      LOG_LEVEL: 'WARN',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  let demo: DemoFile | undefined;
  while (!demo) {
    if (child.exitCode !== null) throw new Error(`the local stack exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the local stack did not become healthy within 90 s:\n${output}`);
    }
    if (existsSync(demoFile)) {
      const parsed = JSON.parse(readFileSync(demoFile, 'utf8')) as DemoFile;
      const health = await fetch(parsed.health).catch(() => undefined);
      if (health?.status === 200) demo = parsed;
    }
    if (!demo) await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    demo,
    output: () => output,
    stop: async (signal: NodeJS.Signals = 'SIGINT') => {
      if (child.exitCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Java processes running DynamoDB Local on the given port. */
export function dynamoProcessesOn(port: string): number {
  const out = spawnSync('pgrep', ['-f', `DynamoDBLocal.jar -port ${port} `], { encoding: 'utf8' }).stdout.trim();
  return out ? out.split('\n').length : 0;
}

/** Resident memory (bytes) of a process and all its descendants, from /proc. */
export function treeResidentBytes(rootPid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of spawnSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' }).stdout.trim().split('\n')) {
    const [pid, ppid, kb] = entry.trim().split(/\s+/).map(Number) as [number, number, number];
    rss.set(pid, kb * 1024);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}
