// Who is calling a REST v1 cabinet operation, as the customerJwt authorizer decided it. The authorizer is the one
// place that checks access tokens and API keys; it passes its decision to the handler in the request context,
// whose values API Gateway delivers as strings.

export type Role = 'customer' | 'reseller' | 'admin';

export interface V1Caller {
  userId: string;
  walletId: string;
  role: Role;
  emailVerified: boolean;
  /** A session's access token, or one of the user's API keys (`Authorization: ApiKey <key>` / `X-Api-Key`). */
  via: 'session' | 'apiKey';
  /** The session family, for `via: session`. */
  sessionId?: string;
  /** The key's id, for `via: apiKey`. */
  keyId?: string;
}

/**
 * Why the authorizer let a request through without a caller. It allows such requests so that the handler answers
 * 401 in the API's own error shape: API Gateway's gateway responses are one per API, and /api/v2's clients expect
 * {"error": "text"} there.
 */
export type AuthRefusal =
  | 'missing_credentials'
  | 'invalid_token'
  | 'token_expired'
  | 'session_ended'
  | 'invalid_key'
  | 'key_suspended'
  | 'ip_not_allowed'
  | 'account_blocked';

export type AuthorizerDecision = { caller: V1Caller } | { refusal: AuthRefusal };

export function decisionToContext(decision: AuthorizerDecision): Record<string, string> {
  if ('refusal' in decision) return { refusal: decision.refusal };
  const c = decision.caller;
  return {
    userId: c.userId,
    walletId: c.walletId,
    role: c.role,
    emailVerified: String(c.emailVerified),
    via: c.via,
    ...(c.sessionId ? { sessionId: c.sessionId } : {}),
    ...(c.keyId ? { keyId: c.keyId } : {}),
  };
}

const REFUSALS: readonly AuthRefusal[] = [
  'missing_credentials',
  'invalid_token',
  'token_expired',
  'session_ended',
  'invalid_key',
  'key_suspended',
  'ip_not_allowed',
  'account_blocked',
];

/** The decision from `requestContext.authorizer`; a refusal when there is none or it cannot be read. */
export function decisionFromContext(context: Record<string, unknown> | null | undefined): AuthorizerDecision {
  const text = (name: string) => (typeof context?.[name] === 'string' ? (context[name] as string) : undefined);
  const refusal = text('refusal');
  if (refusal) return { refusal: REFUSALS.includes(refusal as AuthRefusal) ? (refusal as AuthRefusal) : 'invalid_token' };
  const userId = text('userId');
  const walletId = text('walletId');
  const role = text('role');
  const via = text('via');
  if (!userId || !walletId || (role !== 'customer' && role !== 'reseller' && role !== 'admin') || (via !== 'session' && via !== 'apiKey')) {
    return { refusal: 'missing_credentials' };
  }
  const sessionId = text('sessionId');
  const keyId = text('keyId');
  return {
    caller: {
      userId,
      walletId,
      role,
      emailVerified: text('emailVerified') === 'true',
      via,
      ...(sessionId ? { sessionId } : {}),
      ...(keyId ? { keyId } : {}),
    },
  };
}
