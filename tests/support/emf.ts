// What a function writes, as Lambda sees it: CloudWatch embedded metric format (EMF) lines, which CloudWatch Logs turns
// into metrics, and the Logger's JSON lines. Powertools writes them straight to process.stdout (warnings and errors to
// process.stderr); Lambda sends both to the function's log group.
import { vi } from 'vitest';

export interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

/** One metric value of an EMF line, with the dimensions it is published under. */
export interface EmittedMetric {
  namespace: string;
  name: string;
  unit: string;
  value: unknown;
  dimensions: Record<string, string>;
}

export interface CapturedOutput<T> {
  result: T;
  emf: EmfLine[];
  /** Every other JSON line (the Logger's). */
  logs: Record<string, unknown>[];
}

/**
 * Drops EMF lines written to stdout until the returned function is called: for a stack that prints metrics only for the
 * few tests that read them (captureOutput takes those first), so they do not flood the test run's output.
 */
export function dropEmfOutput(): () => void {
  const write = process.stdout.write;
  const forward = write as (...args: unknown[]) => boolean;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.startsWith('{"_aws"')) return true;
    return forward.call(process.stdout, chunk, ...rest);
  }) as typeof process.stdout.write;
  return () => {
    process.stdout.write = write;
  };
}

/** Runs `work` and keeps what it writes to stdout and stderr (nothing of it reaches the test's output). */
export async function captureOutput<T>(work: () => Promise<T>): Promise<CapturedOutput<T>> {
  let text = '';
  const keep = (chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(keep), vi.spyOn(process.stderr, 'write').mockImplementation(keep)];
  let result: T;
  try {
    result = await work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  const { emf, logs } = parseOutput(text);
  return { result, emf, logs };
}

/** Splits a function's output (or a process's) into EMF lines and other JSON lines; anything else is left out. */
export function parseOutput(text: string): { emf: EmfLine[]; logs: Record<string, unknown>[] } {
  const emf: EmfLine[] = [];
  const logs: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (isEmf(parsed)) emf.push(parsed);
    else logs.push(parsed);
  }
  return { emf, logs };
}

/** The metric values of EMF lines, each with its namespace and dimensions. */
export function metricsOf(lines: readonly EmfLine[]): EmittedMetric[] {
  return lines.flatMap((line) =>
    line._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.map((metric) => ({
        namespace: directive.Namespace,
        name: metric.Name,
        unit: metric.Unit,
        value: line[metric.Name],
        dimensions: Object.fromEntries((directive.Dimensions[0] ?? []).map((dimension) => [dimension, String(line[dimension])])),
      })),
    ),
  );
}

function isEmf(value: Record<string, unknown>): value is EmfLine {
  const aws = value._aws as { CloudWatchMetrics?: unknown } | undefined;
  return typeof aws === 'object' && aws !== null && Array.isArray(aws.CloudWatchMetrics);
}
