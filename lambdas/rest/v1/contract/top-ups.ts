// REST v1 operations: top-ups. (Filled in by the part of issue 9 that builds them.)
import type { Operation } from '../operation.js';

export const topUpsOperations: readonly Operation[] = [];
