// REST v1 operations: public. (Filled in by the part of issue 9 that builds them.)
import type { Operation } from '../operation.js';

export const publicOperations: readonly Operation[] = [];
