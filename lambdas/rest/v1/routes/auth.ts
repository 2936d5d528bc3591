// REST v1 implementations: auth. (Filled in by the part of issue 9 that builds them.)
import type { RouteImpl } from '../http.js';

export const authRoutes: readonly RouteImpl[] = [];
