// What the functions of the in-process local stack write to stdout and stderr (on Lambda: their CloudWatch log
// lines, Logger JSON and EMF metrics), by function, at the log level deployed stages run (Powertools' INFO default).
import { logger } from '../lambdas/shared/logger.js';
import { currentFunction } from '../local/capacity-meter.js';
import { useLogLevel } from '../local/log-level.js';

export interface FunctionLogTap {
  /** Bytes written per function since the tap began. */
  readonly bytes: Map<string, number>;
  /** Puts the streams and the log level back. */
  stop(): void;
}

/** Counts (and keeps off the terminal) every write made inside a function's invocation; others pass through. */
export function tapFunctionLogs(): FunctionLogTap {
  const bytes = new Map<string, number>();
  // The stack's own level (POWERTOOLS_LOG_LEVEL) comes back after, whatever the logger was built with.
  const level = process.env.POWERTOOLS_LOG_LEVEL ?? logger.getLevelName();
  useLogLevel('INFO');
  const streams = [process.stdout, process.stderr] as const;
  const writes = streams.map((stream) => stream.write);
  for (const [i, stream] of streams.entries()) {
    const write = writes[i]!;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const name = currentFunction.getStore();
      if (name === undefined) return (write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      bytes.set(name, (bytes.get(name) ?? 0) + Buffer.byteLength(chunk));
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
  return {
    bytes,
    stop() {
      for (const [i, stream] of streams.entries()) stream.write = writes[i]!;
      useLogLevel(level);
    },
  };
}
