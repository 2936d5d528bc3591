// Admin API (/admin/v1, adminCognito): users, resellers, balances, pricing and API keys.
import { restHandler } from '../../v1/http.js';
import { usersRoutes } from '../routes/users.js';

export const handler = restHandler([...usersRoutes]);
