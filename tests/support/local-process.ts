// Starts the local stack the way a user does (`npm start` runs `tsx local/main.ts`), in its own process.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, freePort } from '../../local/stack.js';
import { eventually } from './eventually.js';

export interface DemoFile {
  apiBase: string;
  v2Url: string;
  health: string;
  providerUrl: string;
  dynamoEndpoint: string;
  reseller: { email: string; apiKey: string };
}

export interface RunningStack {
  child: ChildProcess;
  demo: DemoFile;
  output: () => string;
  /** Sends a signal and waits for the process to exit; returns its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startStackProcess(options: { workDir: string; persistDir?: string; env?: Record<string, string> }): Promise<RunningStack> {
  const demoFile = join(options.workDir, `demo-${Date.now()}.json`);
  const port = await freePort();
  const args = ['local/main.ts', ...(options.persistDir ? ['--persist', options.persistDir] : [])];
  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), args, {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), CODEX_DEMO_FILE: demoFile, CODEX_PROVIDER_SPEED: '10', CODEX_POLL_MS: '300', LOG_LEVEL: 'INFO', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const demo = await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`stack exited early: ${output}`);
    if (!existsSync(demoFile)) return undefined;
    const parsed = JSON.parse(readFileSync(demoFile, 'utf8')) as DemoFile;
    const health = await fetch(parsed.health).catch(() => undefined);
    return health?.status === 200 ? parsed : undefined;
  }, 90_000, 200).catch((error) => {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output}`);
  });
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

/** Calls the reseller API the way panels do: a form POST. */
export async function v2(url: string, fields: Record<string, string | number>): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', body: new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])) });
  return { status: response.status, body: await response.json() };
}
