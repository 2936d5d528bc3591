// POST /api/v1/auth/* and GET /api/v1/.well-known/jwks.json: accounts and sessions.
import { restHandler } from '../http.js';
import { authRoutes } from '../routes/auth.js';

export const handler = restHandler([...authRoutes]);
