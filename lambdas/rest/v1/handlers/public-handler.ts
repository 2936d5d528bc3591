// Public pages' data: /api/v1/services, /api/v1/site.
import { restHandler } from '../http.js';
import { publicRoutes } from '../routes/public.js';

export const handler = restHandler([...publicRoutes]);
