// `npm run access -- <command>`: lifts access blocks on the running local stack, in its DynamoDB Local (the
// endpoint `npm start` writes to .local/demo.json, or CODEX_DEMO_FILE). On AWS the admin API will do this.
//   unblock <ip>                          ends an address's block (IPv6: its /64) and its count of invalid keys
//   reactivate <key id | prefix | key>    reactivates a suspended API key, audited as actor local-admin
//   list                                  blocked addresses and suspended keys
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeleteCommand, type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../lambdas/adapters/dynamodb/client.js';
import { DynamoApiKeyStore } from '../lambdas/adapters/dynamodb/account-store.js';
import { keys } from '../lambdas/adapters/dynamodb/keys.js';
import { InMemorySecretStore } from './secret-store.js';
import { ApiKeyManagement } from '../lambdas/access/application/api-key-management.js';
import { hashApiKey, isWellFormedApiKey } from '../lambdas/access/domain/api-keys.js';
import { abuseSourceOf } from '../lambdas/access/domain/caller-address.js';
import type { ApiKeyDetails } from '../lambdas/access/ports.js';
import { LOCAL_PEPPER, LOCAL_TABLE_NAME, REPO_ROOT } from './stack.js';

/** How long a running stack may still trust what it cached (ResellerAccess's blockCacheMs). */
const TAKES_EFFECT = 'within 10 seconds';
const ACTOR = 'local-admin';

export interface AccessTable {
  db: DynamoDBDocumentClient;
  tableName: string;
}

export class AccessCommandError extends Error {}

/** Ends the block of the address's abuse source and clears its recent invalid-key counts, so one more bad key does not block it again at once. */
export async function unblockAddress(table: AccessTable, ip: string, now = new Date()): Promise<string> {
  const source = abuseSourceOf(ip);
  if (source === 'unparsable') throw new AccessCommandError(`"${ip}" is not an IPv4 or IPv6 address`);
  const { Attributes } = await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: keys.sourceBlock(source), ReturnValues: 'ALL_OLD' }));
  await clearRecentWindows(table, (minute) => keys.invalidKeyWindow(source, minute), now);
  const until = typeof Attributes?.blockedUntil === 'string' ? Attributes.blockedUntil : undefined;
  if (!until || until <= now.toISOString()) return `${source} was not blocked.`;
  return `Unblocked ${source} (it was blocked until ${until}); the stack lets it in ${TAKES_EFFECT}.`;
}

/** Reactivates a suspended key found by its id, its shown prefix (or the start of it), or the whole key. */
export async function reactivateKey(table: AccessTable, reference: string, now = new Date()): Promise<string> {
  const key = await findKey(table, reference.trim());
  const management = new ApiKeyManagement({
    keys: new DynamoApiKeyStore(table.db, table.tableName),
    secrets: new InMemorySecretStore({}),
    pepperSecretId: 'unused',
    clock: { now: () => now },
  });
  const before = key.status;
  let after: ApiKeyDetails;
  try {
    after = await management.reactivateApiKey(key.ownerId, key.keyId, { actor: ACTOR, reason: 'npm run access -- reactivate' });
  } catch (error) {
    throw new AccessCommandError(`${label(key)}: ${(error as Error).message}`);
  }
  // A fresh minute for the key, so its next bad request does not suspend it again.
  await clearRecentWindows(table, (minute) => keys.invalidRequestWindow(key.keyId, minute), now);
  if (before === 'active') return `${label(after)} is already active.`;
  return `Reactivated ${label(after)}; the stack accepts it ${TAKES_EFFECT}.`;
}

/** Addresses blocked now and keys suspended, one line each. */
export async function listAccessBlocks(table: AccessTable, now = new Date()): Promise<string[]> {
  const lines: string[] = [];
  for await (const page of paginateScan({ client: table.db }, { TableName: table.tableName, ConsistentRead: true })) {
    for (const item of page.Items ?? []) {
      if (item.entity === 'source-block' && String(item.blockedUntil) > now.toISOString()) {
        lines.push(`blocked   ${item.source} until ${item.blockedUntil} (${item.reason})`);
      }
      if (item.entity === 'api-key-listing' && item.status === 'suspended') {
        lines.push(`suspended ${label(item as ApiKeyDetails)}${item.statusReason ? ` (${item.statusReason})` : ''}`);
      }
    }
  }
  return lines.sort();
}

async function findKey(table: AccessTable, reference: string): Promise<ApiKeyDetails> {
  const store = new DynamoApiKeyStore(table.db, table.tableName);
  if (isWellFormedApiKey(reference)) {
    const found = await store.findKey(hashApiKey(reference, LOCAL_PEPPER));
    if (!found) throw new AccessCommandError('No such API key on this stack');
    return found;
  }
  if (reference.length < 6) throw new AccessCommandError('Give the key id (kid_…), its prefix (cdx_ and 6 more characters) or the whole key');
  const matches: ApiKeyDetails[] = [];
  for await (const page of paginateScan({ client: table.db }, { TableName: table.tableName, ConsistentRead: true })) {
    for (const item of page.Items ?? []) {
      if (item.entity !== 'api-key-listing') continue;
      const key = item as ApiKeyDetails;
      if (key.keyId === reference || key.prefix.startsWith(reference) || reference.startsWith(key.prefix)) matches.push(key);
    }
  }
  if (matches.length === 0) throw new AccessCommandError(`No API key matches "${reference}"`);
  if (matches.length > 1) {
    throw new AccessCommandError(
      `"${reference}" matches ${matches.length} keys; give the key id:\n${matches.map((k) => `  ${label(k)} ${k.status}`).join('\n')}`,
    );
  }
  return matches[0]!;
}

async function clearRecentWindows(table: AccessTable, keyOf: (minute: number) => { pk: string; sk: string }, now: Date): Promise<void> {
  const minute = Math.floor(now.getTime() / 60_000);
  for (const m of [minute - 1, minute]) await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: keyOf(m) }));
}

const label = (key: Pick<ApiKeyDetails, 'prefix' | 'keyId' | 'ownerId'>): string => `${key.prefix}… (${key.keyId}, owner ${key.ownerId})`;

/** The local stack's DynamoDB Local, from the demo file `npm start` writes. */
export function localTable(demoFile = process.env.CODEX_DEMO_FILE ?? resolve(REPO_ROOT, '.local/demo.json')): AccessTable {
  if (!existsSync(demoFile)) throw new AccessCommandError(`${demoFile} not found: start the local stack with npm start first`);
  const { dynamoEndpoint } = JSON.parse(readFileSync(demoFile, 'utf8')) as { dynamoEndpoint?: string };
  if (!dynamoEndpoint) throw new AccessCommandError(`${demoFile} names no dynamoEndpoint`);
  return { db: createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint }), tableName: LOCAL_TABLE_NAME };
}

const USAGE = 'usage: npm run access -- unblock <ip> | reactivate <key id, prefix or key> | list';

export async function main(args: string[]): Promise<number> {
  const [command, argument] = args;
  try {
    if (command === 'unblock' && argument) console.log(await unblockAddress(localTable(), argument));
    else if (command === 'reactivate' && argument) console.log(await reactivateKey(localTable(), argument));
    else if (command === 'list') console.log((await listAccessBlocks(localTable())).join('\n') || 'Nothing is blocked or suspended.');
    else {
      console.error(USAGE);
      return 2;
    }
    return 0;
  } catch (error) {
    if (error instanceof AccessCommandError) console.error(error.message);
    else if ((error as { name?: string }).name === 'ResourceNotFoundException' || /ECONNREFUSED|fetch failed/.test(String((error as Error).message))) {
      console.error('The local stack is not running (its DynamoDB Local does not answer): start it with npm start');
    } else console.error(error);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
