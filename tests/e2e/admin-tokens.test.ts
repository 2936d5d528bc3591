// The local admin tokens as README promises them: `npm start`'s demo file names the admin API and holds ID tokens of
// the demo admin and operator that the gateway takes, and `npm run admin:token` mints fresh ones with the same key,
// whether or not the stack runs; a restart keeps the key, so tokens minted before it still work.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/client.js';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_TOKEN_HOURS, LOCAL_TABLE_NAME, REPO_ROOT, startLocalStack } from '../../local/stack.js';

const workDir = mkdtempSync(join(tmpdir(), 'codex-admin-tokens-'));
const demoFile = join(workDir, 'demo.json');
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function adminToken(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'admin:token', '--', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, CODEX_DEMO_FILE: demoFile },
  });
  return stdout.trim();
}

const me = async (adminUrl: string, token: string) => {
  const response = await fetch(`${adminUrl}/me`, { headers: { authorization: token } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the local admin tokens', () => {
  it('are in the demo file, valid 12 hours, and npm run admin:token mints more with the same key, across a restart', async () => {
    // Minted before the stack ever ran: the command makes the key the stack then uses.
    const early = await adminToken('--role', 'operator', '--email', 'olga@codex.local', '--hours', '2');
    let stack = await startLocalStack({ port: 0, demoFile });
    try {
      const demo = JSON.parse(readFileSync(demoFile, 'utf8'));
      expect(demo.adminUrl).toBe(`${stack.apiBase}/admin/v1`);
      expect(demo.admin.email).toBe('admin@codex.local');
      expect(demo.operator.email).toBe('operator@codex.local');
      const claims = decodeJwt(demo.admin.idToken);
      expect(claims.exp! - claims.iat!).toBe(DEMO_ADMIN_TOKEN_HOURS * 3600);
      expect(await me(demo.adminUrl, demo.admin.idToken)).toMatchObject({ status: 200, body: { role: 'admin', email: 'admin@codex.local' } });
      expect(await me(demo.adminUrl, demo.operator.idToken)).toMatchObject({ status: 200, body: { role: 'operator' } });
      expect(await me(demo.adminUrl, early)).toMatchObject({ status: 200, body: { role: 'operator', email: 'olga@codex.local' } });
      const fresh = await adminToken('--role', 'admin');
      expect(await me(demo.adminUrl, fresh)).toMatchObject({ status: 200, body: { role: 'admin', userId: claims.sub } });
      // With the stack running, a minted token counts as a sign-in, as the user pool's trigger records one on AWS.
      const db = createDocumentClient({ region: 'us-east-1', endpoint: stack.dynamoEndpoint });
      const day = new Date().toISOString().slice(0, 10);
      const { Items = [] } = await db.send(
        new QueryCommand({ TableName: LOCAL_TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `AUDIT#${day}` } }),
      );
      expect(Items.filter((item) => item.action === 'login.succeeded')).toEqual([
        expect.objectContaining({ actor: claims.sub, actorRole: 'admin', actorEmail: 'admin@codex.local', subjectType: 'admin', subject: claims.sub }),
      ]);
      db.destroy();
    } finally {
      await stack.stop();
    }
    stack = await startLocalStack({ port: 0, demoFile });
    try {
      expect((await me(stack.adminUrl, early)).status).toBe(200);
    } finally {
      await stack.stop();
    }
  });

  it('refuses a role that is not admin or operator', async () => {
    await expect(adminToken('--role', 'root')).rejects.toThrow(/--role admin\|operator/);
  });
});
