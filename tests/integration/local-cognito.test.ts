// The local admin user pool: the stand-in's ID tokens carry Cognito's claims and verify as a Cognito token does, and
// the local gateway takes an adminCognito route's token as API Gateway's Cognito authorizer would: 401 for anything
// but a valid ID token of the pool's client, the claims as strings in requestContext.authorizer.claims otherwise,
// and 403 from addresses outside the admin allow-list.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCallerFromClaims } from '../../lambdas/admin/domain/admin-caller.js';
import type { FunctionName, RouteSpec } from '../../lambdas/functions.js';
import { LOCAL_ADMIN_CLIENT_ID, LOCAL_ISSUER, LOCAL_USER_POOL_ID, type LocalCognito, localCognito } from '../../local/cognito.js';
import type { LambdaFunction } from '../../local/functions.js';
import { startGateway } from '../../local/gateway.js';
import { REPO_ROOT } from '../../local/stack.js';

const workDir = mkdtempSync(join(tmpdir(), 'codex-cognito-'));
const keyFile = join(workDir, 'cognito-signing-key.json');
const routes: RouteSpec[] = [
  { methods: ['GET'], path: '/admin/v1/me', auth: 'adminCognito', function: 'adminSettings' },
  { methods: ['GET'], path: '/health', auth: 'none', function: 'health' },
];

let cognito: LocalCognito;
let received: APIGatewayProxyEvent[];
let gateway: Awaited<ReturnType<typeof startGateway>>;

async function load(_name: FunctionName): Promise<LambdaFunction> {
  return async (event) => {
    received.push(event as APIGatewayProxyEvent);
    return { statusCode: 200, body: '{"ok":true}' };
  };
}

beforeAll(async () => {
  cognito = await localCognito(keyFile);
  gateway = await startGateway({ port: 0, root: REPO_ROOT, routes, load, cognito });
});
afterAll(async () => {
  await gateway?.close();
  rmSync(workDir, { recursive: true, force: true });
});

const get = async (authorization?: string, path = '/admin/v1/me') => {
  received = [];
  const res = await fetch(`${gateway.url}${path}`, { headers: authorization === undefined ? {} : { authorization } });
  return { status: res.status, body: await res.json() };
};

describe('the local admin user pool', () => {
  it("issues ID tokens with Cognito's claims that a Cognito verifier of the pool and client accepts", async () => {
    const token = await cognito.mintIdToken({ role: 'admin', email: 'ana@codex.local' });
    const verifier = CognitoJwtVerifier.create({ userPoolId: LOCAL_USER_POOL_ID, tokenUse: 'id', clientId: LOCAL_ADMIN_CLIENT_ID });
    verifier.cacheJwks(cognito.jwks as never);
    const claims = verifier.verifySync(token);
    expect(claims).toMatchObject({
      iss: LOCAL_ISSUER,
      aud: LOCAL_ADMIN_CLIENT_ID,
      token_use: 'id',
      'cognito:groups': ['admin'],
      email: 'ana@codex.local',
      'cognito:username': claims.sub,
      auth_time: claims.iat,
    });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('keeps its key: a second stand-in on the same file signs tokens the first one verifies, and the same person keeps one sub', async () => {
    const again = await localCognito(keyFile);
    expect(again.jwks).toEqual(cognito.jwks);
    const token = await again.mintIdToken({ role: 'operator', email: 'olga@codex.local' });
    expect((await get(token)).status).toBe(200);
    expect(decodeJwt(token).sub).toBe(decodeJwt(await cognito.mintIdToken({ role: 'admin', email: 'olga@codex.local' })).sub);
  });
});

describe("the local gateway's Cognito authorizer", () => {
  it('passes the claims of a valid ID token, every one a string and the groups comma-separated, and the admin caller reads them', async () => {
    const token = await cognito.mintIdToken({ groups: ['admin', 'operator'], email: 'ana@codex.local' });
    expect((await get(token)).status).toBe(200);
    const claims = (received[0]!.requestContext.authorizer as { claims: Record<string, unknown> }).claims;
    expect(Object.values(claims).every((value) => typeof value === 'string')).toBe(true);
    expect(claims).toMatchObject({ 'cognito:groups': 'admin,operator', email: 'ana@codex.local', token_use: 'id', email_verified: 'true' });
    expect(claims.exp).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    expect(adminCallerFromClaims(claims)).toEqual({ userId: decodeJwt(token).sub, email: 'ana@codex.local', role: 'admin' });
  });

  it('takes the token with or without a Bearer prefix', async () => {
    const token = await cognito.mintIdToken({ role: 'operator', email: 'olga@codex.local' });
    expect((await get(`Bearer ${token}`)).status).toBe(200);
  });

  it('answers 401 in the REST error shape without calling the handler to a missing, malformed, expired, foreign, wrong-client or access token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const otherKeyFile = join(workDir, 'other-key.json');
    const other = await localCognito(otherKeyFile);
    // Signed by another key under this pool's kid: only the signature is wrong.
    const stolenKid = await new SignJWT({ token_use: 'id', aud: LOCAL_ADMIN_CLIENT_ID, 'cognito:groups': ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: cognito.jwks.keys[0]!.kid! })
      .setIssuer(LOCAL_ISSUER)
      .setSubject('intruder')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(await importJWK(JSON.parse(readFileSync(otherKeyFile, 'utf8')).privateJwk, 'RS256'));
    const cases: Record<string, string | undefined> = {
      missing: undefined,
      empty: '',
      malformed: 'not-a-jwt',
      expired: await cognito.mintIdToken({ role: 'admin', email: 'ana@codex.local', now: now - 7200, expiresInSeconds: 3600 }),
      'another key': await other.mintIdToken({ role: 'admin', email: 'ana@codex.local' }),
      'another key, same kid': stolenKid,
      'another client': await cognito.mintIdToken({ role: 'admin', email: 'ana@codex.local', clientId: 'someotherclient0000000000' }),
      'an access token': await cognito.mintIdToken({ role: 'admin', email: 'ana@codex.local', tokenUse: 'access' }),
    };
    for (const [name, token] of Object.entries(cases)) {
      expect(await get(token), name).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'Unauthorized' } } });
      expect(received, name).toEqual([]);
    }
  });

  it('answers 401 to every token when it was given no user pool', async () => {
    const bare = await startGateway({ port: 0, root: REPO_ROOT, routes, load });
    try {
      const res = await fetch(`${bare.url}/admin/v1/me`, { headers: { authorization: await cognito.mintIdToken({ role: 'admin', email: 'a@b.c' }) } });
      expect(res.status).toBe(401);
    } finally {
      await bare.close();
    }
  });
});

describe('the admin source allow-list', () => {
  it('answers 403 to admin routes from other addresses, after the token, and leaves other routes alone', async () => {
    const token = await cognito.mintIdToken({ role: 'admin', email: 'ana@codex.local' });
    const elsewhere = await startGateway({ port: 0, root: REPO_ROOT, routes, load, cognito, adminAllowedSources: ['203.0.113.0/24'] });
    const here = await startGateway({ port: 0, root: REPO_ROOT, routes, load, cognito, adminAllowedSources: ['127.0.0.1', '10.0.0.0/8'] });
    try {
      received = [];
      const refused = await fetch(`${elsewhere.url}/admin/v1/me`, { headers: { authorization: token } });
      expect(refused.status).toBe(403);
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('forbidden');
      expect(error.message).toMatch(/not authorized to perform: execute-api:Invoke .* with an explicit deny/);
      expect((await fetch(`${elsewhere.url}/admin/v1/me`)).status).toBe(401);
      expect((await fetch(`${elsewhere.url}/health`)).status).toBe(200);
      expect((await fetch(`${here.url}/admin/v1/me`, { headers: { authorization: token } })).status).toBe(200);
      expect(received.map((event) => event.resource)).toEqual(['/health', '/admin/v1/me']);
    } finally {
      await Promise.all([elsewhere.close(), here.close()]);
    }
  });
});
