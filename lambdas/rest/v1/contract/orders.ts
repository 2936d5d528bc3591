// REST v1 operations: orders. (Filled in by the part of issue 9 that builds them.)
import type { Operation } from '../operation.js';

export const ordersOperations: readonly Operation[] = [];
