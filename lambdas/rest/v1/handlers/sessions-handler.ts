// POST /api/v1/auth/login, /refresh, /logout and GET /api/v1/.well-known/jwks.json: sessions (signs access tokens).
import { restHandler } from '../http.js';
import { sessionsRoutes } from '../routes/sessions.js';

export const handler = restHandler([...sessionsRoutes]);
