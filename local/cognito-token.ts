// `npm run admin:token -- --role admin|operator [--email x] [--hours N]`: prints a fresh ID token of the local admin
// user pool, signed with the key `npm start` uses (beside CODEX_DEMO_FILE, default .local/demo.json), whether or not
// the stack is running. Send it as `Authorization: <token>` to /admin/v1/...
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COGNITO_KEY_FILE, LOCAL_ADMIN_EMAIL, LOCAL_OPERATOR_EMAIL, localCognito } from './cognito.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

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
  console.log(await cognito.mintIdToken({ role, email, expiresInSeconds: Math.round(hours * 3600) }));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
