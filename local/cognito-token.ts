// `npm run admin:token -- --role admin|operator [--email x] [--hours N]`: prints a fresh ID token of the local admin
// user pool, signed with the key `npm start` uses (beside CODEX_DEMO_FILE, default .local/demo.json), whether or not
// the stack is running. Send it as `Authorization: <token>` to /admin/v1/... When the stack runs, the token counts as a
// sign-in: a `login.succeeded` audit entry goes into its table, as the user pool's trigger writes one on AWS.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { recordAdminSignIn } from '../lambdas/admin/application/record-sign-in.js';
import { DynamoAuditLog } from '../lambdas/adapters/dynamodb/audit-log.js';
import { createDocumentClient } from '../lambdas/adapters/dynamodb/client.js';
import { COGNITO_KEY_FILE, LOCAL_ADMIN_EMAIL, LOCAL_OPERATOR_EMAIL, localCognito } from './cognito.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** LOCAL_TABLE_NAME of local/stack.ts, not imported: that would load the whole stack. */
const LOCAL_TABLE_NAME = 'codex';

const USAGE = 'Usage: npm run admin:token -- --role admin|operator [--email <email>] [--hours <1-24>]';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string' }, email: { type: 'string' }, hours: { type: 'string' } } });
  const role = values.role;
  if (role !== 'admin' && role !== 'operator') throw new Error(USAGE);
  const hours = values.hours === undefined ? 1 : Number(values.hours);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24) throw new Error(`--hours: between 0 and 24. ${USAGE}`);
  const demoFile = resolve(process.env.CODEX_DEMO_FILE ?? resolve(REPO_ROOT, '.local/demo.json'));
  const cognito = await localCognito(resolve(dirname(demoFile), COGNITO_KEY_FILE));
  const email = values.email ?? (role === 'admin' ? LOCAL_ADMIN_EMAIL : LOCAL_OPERATOR_EMAIL);
  const token = await cognito.mintIdToken({ role, email, expiresInSeconds: Math.round(hours * 3600) });
  console.log(token);
  await auditSignIn(demoFile, { sub: decodeJwt(token).sub!, email, groups: [role] });
}

/** Best effort: a stack that is not running (a stale endpoint in the demo file) just gets no entry. */
async function auditSignIn(demoFile: string, signIn: { sub: string; email: string; groups: string[] }): Promise<void> {
  if (!existsSync(demoFile)) return;
  const { dynamoEndpoint } = JSON.parse(readFileSync(demoFile, 'utf8')) as { dynamoEndpoint?: string };
  if (!dynamoEndpoint) return;
  const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint });
  try {
    await recordAdminSignIn({ audit: new DynamoAuditLog(db, LOCAL_TABLE_NAME), clock: { now: () => new Date() } }, signIn);
  } catch {
    // Not running.
  } finally {
    db.destroy();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
