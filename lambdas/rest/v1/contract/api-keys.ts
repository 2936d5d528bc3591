// REST v1 operations: api-keys. (Filled in by the part of issue 9 that builds them.)
import type { Operation } from '../operation.js';

export const apiKeysOperations: readonly Operation[] = [];
