// Public pages' data: /api/v1/services, /api/v1/site.
import { restHandler } from '../http.js';
import { publicRoutes } from '../routes/public.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

export const handler = observe(restHandler([...publicRoutes]), apiRequest);
