// GET /api/v1/openapi.json and GET /api/v1/docs.
import { restHandler } from '../http.js';
import { docsRoutes } from '../routes/docs.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

export const handler = observe(restHandler([...docsRoutes]), apiRequest);
