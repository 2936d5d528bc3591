// POST /api/v1/auth/login, /refresh, /logout and GET /api/v1/.well-known/jwks.json: sessions (signs access tokens).
import { restHandler } from '../http.js';
import { sessionsRoutes } from '../routes/sessions.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

export const handler = observe(restHandler([...sessionsRoutes]), apiRequest);
