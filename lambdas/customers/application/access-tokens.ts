// Access tokens: EdDSA (Ed25519) JWTs of 15 minutes, signed with the current key of the signing secret and
// checked against every key in it (see domain/signing-keys.ts for rotation).
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../rest/v1/caller.js';
import type { Clock, SecretStore } from '../../shared/ports.js';
import { type KeyRing, parseKeyRing, publicJwks } from '../domain/signing-keys.js';

export const ACCESS_TOKEN_ISSUER = 'codex';
export const ACCESS_TOKEN_AUDIENCE = 'codex-api-v1';
export const ACCESS_TOKEN_SECONDS = 15 * 60;

export interface AccessClaims {
  userId: string;
  sessionId: string;
  walletId: string;
  role: Role;
  emailVerified: boolean;
}

export type TokenCheck = { ok: true; claims: AccessClaims } | { ok: false; refusal: 'invalid_token' | 'token_expired' };

export interface AccessTokensDeps {
  secrets: SecretStore;
  secretId: string;
  clock: Clock;
}

const ROLES: readonly string[] = ['customer', 'reseller', 'admin'];

export class AccessTokens {
  private parsed: { text: string; ring: KeyRing } | undefined;

  constructor(private readonly deps: AccessTokensDeps) {}

  /** The keys, derived again only when the secret's text changes (the secret store caches the text). */
  async keyRing(): Promise<KeyRing> {
    const text = await this.deps.secrets.get(this.deps.secretId);
    if (this.parsed?.text !== text) this.parsed = { text, ring: parseKeyRing(text) };
    return this.parsed.ring;
  }

  async issue(claims: AccessClaims): Promise<{ accessToken: string; expiresIn: number }> {
    const { current } = await this.keyRing();
    const now = Math.floor(this.deps.clock.now().getTime() / 1000);
    const accessToken = await new SignJWT({ sid: claims.sessionId, wid: claims.walletId, role: claims.role, email_verified: claims.emailVerified })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: current.kid })
      .setSubject(claims.userId)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + ACCESS_TOKEN_SECONDS)
      .sign(current.privateKey);
    return { accessToken, expiresIn: ACCESS_TOKEN_SECONDS };
  }

  async verify(token: string): Promise<TokenCheck> {
    const ring = await this.keyRing();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        (header) => {
          const key = header.kid ? ring.byKid.get(header.kid) : undefined;
          if (!key) throw new errors.JWKSNoMatchingKey();
          return key.publicKey;
        },
        {
          algorithms: ['EdDSA'],
          issuer: ACCESS_TOKEN_ISSUER,
          audience: ACCESS_TOKEN_AUDIENCE,
          currentDate: this.deps.clock.now(),
          requiredClaims: ['sub', 'exp', 'sid', 'wid', 'role'],
        },
      ));
    } catch (error) {
      return { ok: false, refusal: error instanceof errors.JWTExpired ? 'token_expired' : 'invalid_token' };
    }
    const { sub, sid, wid, role, email_verified: emailVerified } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof wid !== 'string' || typeof role !== 'string' || !ROLES.includes(role)) {
      return { ok: false, refusal: 'invalid_token' };
    }
    return { ok: true, claims: { userId: sub, sessionId: sid, walletId: wid, role: role as Role, emailVerified: emailVerified === true } };
  }

  async jwks(): Promise<{ keys: Record<string, string>[] }> {
    return publicJwks(await this.keyRing());
  }
}
