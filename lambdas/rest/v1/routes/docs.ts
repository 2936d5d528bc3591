// REST v1 implementations: docs. (Filled in by the part of issue 9 that builds them.)
import type { RouteImpl } from '../http.js';

export const docsRoutes: readonly RouteImpl[] = [];
