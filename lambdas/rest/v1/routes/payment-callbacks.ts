// REST v1 implementations: payment-callbacks. (Filled in by the part of issue 9 that builds them.)
import type { RouteImpl } from '../http.js';

export const paymentCallbacksRoutes: readonly RouteImpl[] = [];
