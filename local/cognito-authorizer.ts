// API Gateway REST's Cognito user pool authorizer, for the local gateway: the ID token in the Authorization header
// is verified with aws-jwt-verify against the stand-in's JWKS (never fetched), and its claims reach the handler as
// API Gateway hands them over: every value a string, groups comma-separated, `exp` and `iat` as dates.
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from './cognito.js';

export interface CognitoAuthorizerConfig {
  userPoolId: string;
  clientId: string;
  jwks: Jwks;
}

export type CognitoOutcome = { claims: Record<string, string> } | { status: 401; error: 'Unauthorized' };

export type CognitoAuthorizer = (authorization: string | undefined) => CognitoOutcome;

export function cognitoAuthorizer(config: CognitoAuthorizerConfig): CognitoAuthorizer {
  const verifier = CognitoJwtVerifier.create({ userPoolId: config.userPoolId, tokenUse: 'id', clientId: config.clientId });
  verifier.cacheJwks(config.jwks as unknown as Parameters<typeof verifier.cacheJwks>[0]);
  return (authorization) => {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    if (!token) return { status: 401, error: 'Unauthorized' };
    try {
      // Sync: a token naming an unknown key fails here instead of sending the verifier to fetch the pool's JWKS.
      return { claims: claimsAsStrings(verifier.verifySync(token) as Record<string, unknown>) };
    } catch {
      return { status: 401, error: 'Unauthorized' };
    }
  };
}

/** The claims as API Gateway REST passes them to a Lambda proxy integration. */
export function claimsAsStrings(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (Array.isArray(value)) claims[name] = value.join(',');
    else if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = javaDate(value);
    else claims[name] = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  }
  return claims;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Tue Dec 01 12:53:00 UTC 2026`: how API Gateway (Java's Date.toString) writes a token's exp and iat. */
function javaDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
