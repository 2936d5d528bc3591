// REST v1 implementations: orders. (Filled in by the part of issue 9 that builds them.)
import type { RouteImpl } from '../http.js';

export const ordersRoutes: readonly RouteImpl[] = [];
