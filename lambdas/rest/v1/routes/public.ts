// REST v1 implementations: public. (Filled in by the part of issue 9 that builds them.)
import type { RouteImpl } from '../http.js';

export const publicRoutes: readonly RouteImpl[] = [];
