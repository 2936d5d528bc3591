// REST v1 implementations: sessions (login, refresh, logout) and the public keys that check access tokens.
import { accessTokens, sessions } from '../../../customers/wiring.js';
import * as auth from '../contract/auth.js';
import { noContent, ok, RestError, type RouteImpl, route } from '../http.js';

export const sessionsRoutes: readonly RouteImpl[] = [
  route(auth.login, async ({ body, sourceIp }) => {
    const result = await sessions().login({ email: body.email, password: body.password, sourceIp });
    if (result.ok) return ok(result.tokens);
    if (result.refusal === 'too_many_attempts') {
      throw new RestError(429, 'too_many_attempts', `Too many failed sign-ins: try again in ${result.retryAfterSeconds} s`, undefined, {
        'retry-after': String(result.retryAfterSeconds),
      });
    }
    if (result.refusal === 'account_blocked') throw new RestError(403, 'account_blocked', 'The account is blocked');
    throw new RestError(401, 'invalid_credentials', 'Wrong email or password');
  }),

  route(auth.refresh, async ({ body }) => {
    const result = await sessions().refresh(body.refreshToken);
    if (result.ok) return ok(result.tokens);
    if (result.refusal === 'session_ended') throw new RestError(401, 'session_ended', 'The session has ended; sign in again');
    throw new RestError(401, 'invalid_refresh_token', 'The refresh token is not valid; sign in again');
  }),

  route(auth.logout, async ({ body, allHeaders }) => {
    if (body.refreshToken) {
      await sessions().logout(body.refreshToken);
      return noContent();
    }
    const [scheme, token] = (allHeaders.authorization ?? '').trim().split(/\s+/);
    if (/^bearer$/i.test(scheme ?? '') && token) {
      const check = await accessTokens().verify(token);
      if (check.ok) await sessions().logoutSession(check.claims.userId, check.claims.sessionId);
    }
    return noContent();
  }),

  // Public keys change only when a key is added: caches may keep them a while (rotation adds the new key well
  // before it signs anything, see docs/auth.md).
  route(auth.jwks, async () => ok(await accessTokens().jwks(), { 'cache-control': 'public, max-age=300' })),
];
