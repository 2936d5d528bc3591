// The local stand-in for the admin user pool: one RS256 key pair (made once, kept beside the demo credentials so
// tokens survive a restart and `npm run admin:token` signs with the same key), its JWKS, and ID tokens carrying the
// claims Cognito puts in them. The local gateway verifies them as API Gateway's Cognito authorizer would.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { AdminRole } from '../lambdas/admin/domain/admin-caller.js';

export const LOCAL_REGION = 'us-east-1';
/** Shaped like a real pool id (`<region>_<id>`), which aws-jwt-verify checks. */
export const LOCAL_USER_POOL_ID = `${LOCAL_REGION}_codexLocal`;
/** Shaped like a real app client id (26 lowercase letters and digits). */
export const LOCAL_ADMIN_CLIENT_ID = 'codexlocaladminclient00000';
export const LOCAL_ISSUER = `https://cognito-idp.${LOCAL_REGION}.amazonaws.com/${LOCAL_USER_POOL_ID}`;
/** Where the demo tokens point: the local admin and operator. */
export const LOCAL_ADMIN_EMAIL = 'admin@codex.local';
export const LOCAL_OPERATOR_EMAIL = 'operator@codex.local';
/** The signing key's file, beside the demo file (see LocalStackOptions.cognitoKeyFile). */
export const COGNITO_KEY_FILE = 'cognito-signing-key.json';

export interface Jwks {
  keys: JWK[];
}

export interface MintInput {
  /** Puts the user in this group; `groups` replaces the list entirely (e.g. none at all). */
  role?: AdminRole;
  groups?: string[];
  email: string;
  /** By default derived from the email, so the same person keeps the same sub (the audit log's actor). */
  sub?: string;
  expiresInSeconds?: number;
  /** `id` as the authorizer wants; `access` for tests that it refuses one. */
  tokenUse?: 'id' | 'access';
  clientId?: string;
  /** Seconds since the epoch; now by default. */
  now?: number;
}

export interface LocalCognito {
  userPoolId: string;
  clientId: string;
  issuer: string;
  jwks: Jwks;
  mintIdToken(input: MintInput): Promise<string>;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
}

/** The stand-in with the key kept in `keyFile` (made there on first use), or a fresh key in memory without one. */
export async function localCognito(keyFile?: string): Promise<LocalCognito> {
  const stored = await loadOrCreateKey(keyFile);
  const privateKey = await importJWK(stored.privateJwk, 'RS256');
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = stored.privateJwk;
  const jwks: Jwks = { keys: [{ ...publicJwk, kid: stored.kid, alg: 'RS256', use: 'sig' }] };
  return {
    userPoolId: LOCAL_USER_POOL_ID,
    clientId: LOCAL_ADMIN_CLIENT_ID,
    issuer: LOCAL_ISSUER,
    jwks,
    async mintIdToken(input) {
      const now = input.now ?? Math.floor(Date.now() / 1000);
      const sub = input.sub ?? subOf(input.email);
      const groups = input.groups ?? (input.role ? [input.role] : []);
      const clientId = input.clientId ?? LOCAL_ADMIN_CLIENT_ID;
      const tokenUse = input.tokenUse ?? 'id';
      // The claims of a Cognito ID token (an access token names its client in client_id, not aud).
      const claims =
        tokenUse === 'id'
          ? {
              ...(groups.length > 0 ? { 'cognito:groups': groups } : {}),
              email_verified: true,
              'cognito:username': sub,
              origin_jti: randomUUID(),
              aud: clientId,
              event_id: randomUUID(),
              token_use: 'id',
              auth_time: now,
              email: input.email,
            }
          : {
              ...(groups.length > 0 ? { 'cognito:groups': groups } : {}),
              client_id: clientId,
              origin_jti: randomUUID(),
              event_id: randomUUID(),
              token_use: 'access',
              scope: 'aws.cognito.signin.user.admin',
              auth_time: now,
              username: sub,
            };
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: stored.kid })
        .setSubject(sub)
        .setIssuer(LOCAL_ISSUER)
        .setIssuedAt(now)
        .setExpirationTime(now + (input.expiresInSeconds ?? 3600))
        .setJti(randomUUID())
        .sign(privateKey);
    },
  };
}

/** A stable UUID-shaped sub per email, as a user pool gives each user one. */
function subOf(email: string): string {
  const hex = createHash('sha256').update(`codex-local-admin:${email.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function loadOrCreateKey(keyFile: string | undefined): Promise<StoredKey> {
  if (keyFile && existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as StoredKey;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const key: StoredKey = { kid: `local-${randomUUID().slice(0, 8)}`, privateJwk: await exportJWK(privateKey) };
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    // Another process may have made it meanwhile: `wx` keeps theirs, and we read it back.
    try {
      writeFileSync(keyFile, JSON.stringify(key), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return JSON.parse(readFileSync(keyFile, 'utf8')) as StoredKey;
    }
  }
  return key;
}
