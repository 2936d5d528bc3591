// The level of the functions' one Logger in the local stack. On Lambda the environment is set before the handler
// module builds the Logger; here the modules are loaded before the stack is configured, and Powertools puts each warm
// invocation back to the level the Logger was built with, so setting the environment or setLogLevel() is not enough.
import { logger } from '../lambdas/shared/logger.js';

type LogLevel = Parameters<typeof logger.setLogLevel>[0];

/** Makes `level` the Logger's level for every invocation from now on, as if it had been built with it. */
export function useLogLevel(level: string): void {
  const upper = level.toUpperCase() as LogLevel;
  process.env.POWERTOOLS_LOG_LEVEL = upper;
  // Private in Powertools' types (2.35): the one way to change the level it resets each warm invocation to.
  (logger as unknown as { setInitialLogLevel(level: LogLevel): void }).setInitialLogLevel(upper);
}
