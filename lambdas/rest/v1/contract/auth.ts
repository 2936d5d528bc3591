// REST v1 operations: auth. (Filled in by the part of issue 9 that builds them.)
import type { Operation } from '../operation.js';

export const authOperations: readonly Operation[] = [];
