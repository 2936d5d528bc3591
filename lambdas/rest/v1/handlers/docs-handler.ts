// GET /api/v1/openapi.json and GET /api/v1/docs.
import { restHandler } from '../http.js';
import { docsRoutes } from '../routes/docs.js';

export const handler = restHandler([...docsRoutes]);
