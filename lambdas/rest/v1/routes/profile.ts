// REST v1 implementations: profile. (Filled in by the part of issue 9 that builds them.)
import type { RouteImpl } from '../http.js';

export const profileRoutes: readonly RouteImpl[] = [];
