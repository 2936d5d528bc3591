// REST v1 operations: docs. (Filled in by the part of issue 9 that builds them.)
import type { Operation } from '../operation.js';

export const docsOperations: readonly Operation[] = [];
