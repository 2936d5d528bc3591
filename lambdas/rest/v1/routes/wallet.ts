// REST v1 implementations: wallet. (Filled in by the part of issue 9 that builds them.)
import type { RouteImpl } from '../http.js';

export const walletRoutes: readonly RouteImpl[] = [];
