// Issue 11, settings, promo codes and the audit log on DynamoDB Local: the settings item overrides the environment's
// defaults where each value is used; a promo bonus is credited exactly once with its deposit, within its limits; the
// audit search filters and pages; every customer login leaves an audit entry without a secret.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditLog, DynamoAuditSearch } from '../../lambdas/adapters/dynamodb/audit-log.js';
import { DynamoAttemptCounters } from '../../lambdas/adapters/dynamodb/attempt-counters.js';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamodb/customer-accounts.js';
import { DynamoOrderLimits } from '../../lambdas/adapters/dynamodb/order-limits.js';
import { DynamoPromoCodeStore } from '../../lambdas/adapters/dynamodb/promo-code-store.js';
import { DynamoSessionStore } from '../../lambdas/adapters/dynamodb/session-store.js';
import { DynamoSettingsStore, readSettingsItem } from '../../lambdas/adapters/dynamodb/settings-store.js';
import { DynamoTopUpStore } from '../../lambdas/adapters/dynamodb/top-up-store.js';
import { createPromoCode, updatePromoCode } from '../../lambdas/admin/application/promo-codes.js';
import type { AuditEntry } from '../../lambdas/audit/domain/audit-entry.js';
import { TIERS } from '../../lambdas/access/domain/tiers.js';
import { AccessTokens } from '../../lambdas/customers/application/access-tokens.js';
import { Accounts } from '../../lambdas/customers/application/accounts.js';
import { Sessions } from '../../lambdas/customers/application/sessions.js';
import { handleCallback } from '../../lambdas/payments/application/handle-callback.js';
import { createTopUp, type TopUpDeps } from '../../lambdas/payments/application/top-ups.js';
import { DemoGateway } from '../../lambdas/payments/gateways/demo.js';
import { changeSettings, type ManageSettingsDeps } from '../../lambdas/settings/application/manage-settings.js';
import { CachedSettingsItem, CachedSettingsReader } from '../../lambdas/settings/application/settings-reader.js';
import type { SettingsDefaults } from '../../lambdas/settings/domain/settings.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { type Micros, parseMoney } from '../../lambdas/shared/money.js';
import { InMemorySecretStore } from '../../local/secret-store.js';
import { balanceAndLedger, createTestTable, type TestTable } from '../support/dynamo-table.js';
import { RecordedMetrics } from '../support/recorded-metrics.js';

let table: TestTable;
let settings: DynamoSettingsStore;
let promoCodes: DynamoPromoCodeStore;
let topUps: DynamoTopUpStore;
let now = Date.parse('2026-12-01T10:00:00Z');
const clock = { now: () => new Date(now) };
const admin = { caller: { userId: 'admin-sub-1', role: 'admin' as const, email: 'admin@codex.local' }, sourceIp: '203.0.113.9' };
const defaults: SettingsDefaults = { tiers: TIERS, minDeposit: parseMoney('1.00'), maxDeposit: parseMoney('10000.00') };
let manage: ManageSettingsDeps;
const demo = new DemoGateway(async () => 'demo-secret', clock);
const links = { callbackUrl: (method: string) => `https://api.codex.test/api/v1/payments/${method}/callback` };

/** A reader that always reads (no cache): what every container sees once its 30 s have passed. */
const freshReader = () => new CachedSettingsReader(new CachedSettingsItem(() => readSettingsItem(table.db, table.tableName, false), clock, 0), () => defaults);

function topUpDeps(): TopUpDeps {
  const reader = freshReader();
  return {
    store: topUps,
    gateways: { offered: async () => ['demo'], get: async (m) => (m === 'demo' ? demo : undefined) },
    wallets: table.wallets,
    clock,
    promoCodes,
    settings: {
      limits: { min: defaults.minDeposit, max: defaults.maxDeposit },
      currentMinDeposit: async () => (await reader.current()).minDeposit,
      lifetimeSeconds: 3600,
    },
  };
}

/** Every entry of the test's day (the clock's) that matches, following the cursor. */
async function auditAll(filters: { subject?: string; action?: string }): Promise<AuditEntry[]> {
  const search = new DynamoAuditSearch(table.db, table.tableName);
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await search.search({
      ...filters,
      from: '2026-11-30T00:00:00.000Z',
      to: '2026-12-02T23:59:59.999Z',
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    entries.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return entries;
}

const auditEntries = (subject: string) => auditAll({ subject });

let customers = 0;
async function customer(): Promise<{ userId: string; walletId: string }> {
  const n = ++customers;
  const walletId = `wallet-promo-${n}`;
  await table.wallets.openWallet({ id: walletId, ownerId: `user-promo-${n}`, currency: 'USD' }, clock.now().toISOString());
  return { userId: `user-promo-${n}`, walletId };
}

async function paidWithDemo(topUpId: string) {
  const topUp = (await topUps.find(topUpId))!;
  const { body, headers } = await demo.callbackFor(topUp, 'paid');
  return handleCallback({ store: topUps, gateways: topUpDeps().gateways, clock, metrics: new RecordedMetrics() }, 'demo', body, headers);
}

beforeAll(async () => {
  table = await createTestTable();
  settings = new DynamoSettingsStore(table.db, table.tableName);
  promoCodes = new DynamoPromoCodeStore(table.db, table.tableName);
  topUps = new DynamoTopUpStore(table.db, table.tableName);
  manage = { store: settings, defaults: () => defaults, clock };
});

describe('settings', () => {
  it('override the defaults where they are used, and going back to the default removes the override', async () => {
    const deps = topUpDeps();
    const buyer = await customer();
    // The default minimum (1.00) lets 2.00 through.
    await createTopUp(deps, buyer, { amount: '2.00', method: 'demo' }, links);
    await changeSettings(manage, admin, { minDeposit: '5.00' });
    await expect(createTopUp(deps, buyer, { amount: '2.00', method: 'demo' }, links)).rejects.toMatchObject({ code: 'amount_too_small' });
    await changeSettings(manage, admin, { minDeposit: null });
    await createTopUp(deps, buyer, { amount: '2.00', method: 'demo' }, links);

    // The daily spend limit: none by default, then 1.00 from the settings, for orders on both APIs.
    const reader = freshReader();
    const limits = new DynamoOrderLimits(table.db, table.tableName, {
      currentMaxDailySpend: async () => (await reader.current()).maxDailySpend,
      currency: 'USD',
    });
    const order = (charge: string) => ({ ownerId: 'spender', charge: parseMoney(charge) as Micros, createdAt: clock.now().toISOString() });
    // With no limit in force nothing is counted.
    await limits.reserve(order('50.00'));
    await changeSettings(manage, admin, { maxDailySpend: '4.00' });
    await limits.reserve(order('3.00'));
    await expect(limits.reserve(order('2.00'))).rejects.toMatchObject({ code: 'daily_spend_limit' });
    await limits.reserve(order('1.00'));
    await changeSettings(manage, admin, { maxDailySpend: '0' });
    await limits.reserve(order('100.00'));

    // Tier limits: what the reseller API applies to a key of the tier.
    await changeSettings(manage, admin, { tiers: { pro: { requestsPerMinute: 30 } } });
    expect((await freshReader().current()).tiers.pro).toEqual({ requestsPerMinute: 30, dailyOrderQuota: TIERS.pro.dailyOrderQuota });
  });

  it('audit every change with what it changed, refuse a stale version and write nothing for a change that changes nothing', async () => {
    const before = await settings.read();
    const view = await changeSettings(
      manage,
      admin,
      { maintenance: { enabled: true, message: 'Back at noon' } },
      { expectedVersion: before.version, reason: 'deploy' },
    );
    expect(view.changed).toBe(true);
    expect(view.stored.version).toBe(before.version + 1);
    const entry = (await auditEntries('settings')).find((e) => e.reason === 'deploy')!;
    expect(entry).toMatchObject({
      actor: 'admin-sub-1',
      actorRole: 'admin',
      actorEmail: 'admin@codex.local',
      action: 'settings.updated',
      source: '203.0.113.9',
      before: { maintenance: null },
      after: { maintenance: { enabled: true, message: 'Back at noon' } },
    });
    await expect(changeSettings(manage, admin, { maintenance: null }, { expectedVersion: before.version })).rejects.toMatchObject({
      code: 'settings_conflict',
    });
    const entries = (await auditEntries('settings')).length;
    const again = await changeSettings(manage, admin, { maintenance: { enabled: true, message: 'Back at noon' } });
    expect(again.changed, JSON.stringify(again.stored)).toBe(false);
    expect((await auditEntries('settings')).length).toBe(entries);
    await changeSettings(manage, admin, { maintenance: null });
  });

  it('refuse templates that do more than print fields, name unknown fields or do not close', async () => {
    for (const text of [
      '<%= process.env.SECRET %>',
      "<% require('fs') %>",
      '<%~ it.order.link %>',
      '<%= it.order.nothing %>',
      '<% if (it.order.refunded) { %>x',
    ]) {
      const refusal = await changeSettings(manage, admin, { templates: { 'order.completed': { text } } }).catch((e: unknown) => e);
      expect(isDomainError(refusal, 'invalid_request'), text).toBe(true);
    }
    const ok = await changeSettings(manage, admin, {
      templates: {
        'order.completed': {
          subject: 'Done: #<%= it.order.orderId %>',
          text: 'Order <%= it.order.orderId %><% if (it.order.refunded) { %>, refunded <%= it.order.refunded %><% } %>.',
        },
      },
    });
    expect(ok.effective.templates['order.completed']?.subject).toBe('Done: #<%= it.order.orderId %>');
  });
});

describe('promo codes', () => {
  it('credit the bonus as a bonus ledger entry with the deposit, exactly once however often the payment is told', async () => {
    await createPromoCode({ promoCodes, clock }, admin, { code: 'welcome10', kind: 'percent', value: '10' });
    const buyer = await customer();
    const topUp = await createTopUp(topUpDeps(), buyer, { amount: '25.00', method: 'demo', promoCode: 'WELCOME10' }, links);
    expect(topUp).toMatchObject({ promoCode: 'WELCOME10', promoBonus: parseMoney('2.50') });
    const results = await Promise.all([paidWithDemo(topUp.id), paidWithDemo(topUp.id), paidWithDemo(topUp.id)]);
    expect(results.filter((r) => r.accepted && r.verdict === 'credited')).toHaveLength(1);
    const ledger = await table.wallets.listLedger(buyer.walletId);
    expect(ledger.map((e) => [e.kind, e.amount])).toEqual([
      ['deposit', parseMoney('25.00')],
      ['bonus', parseMoney('2.50')],
    ]);
    expect(await balanceAndLedger(table, buyer.walletId)).toMatchObject({ balance: parseMoney('27.50'), ledgerSum: parseMoney('27.50') });
    expect((await promoCodes.get('WELCOME10'))?.uses).toBe(1);
    expect(await topUps.find(topUp.id)).toMatchObject({ bonusCredited: parseMoney('2.50'), promoOutcome: 'credited' });
  });

  it('credit the deposit without a bonus when the code was used up meanwhile, and say so', async () => {
    await createPromoCode({ promoCodes, clock }, admin, { code: 'ONCE', kind: 'fixed', value: '5.00', maxUses: 1 });
    const [a, b] = [await customer(), await customer()];
    const first = await createTopUp(topUpDeps(), a, { amount: '10.00', method: 'demo', promoCode: 'once' }, links);
    const second = await createTopUp(topUpDeps(), b, { amount: '10.00', method: 'demo', promoCode: 'once' }, links);
    await paidWithDemo(first.id);
    await paidWithDemo(second.id);
    expect(await balanceAndLedger(table, a.walletId)).toMatchObject({ balance: parseMoney('15.00'), entries: 2 });
    expect(await balanceAndLedger(table, b.walletId)).toMatchObject({ balance: parseMoney('10.00'), entries: 1 });
    expect(await topUps.find(second.id)).toMatchObject({ status: 'paid', bonusCredited: 0, promoOutcome: 'used_up' });
    expect((await promoCodes.get('ONCE'))?.uses).toBe(1);
    // Now used up, it is refused at creation.
    await expect(createTopUp(topUpDeps(), b, { amount: '10.00', method: 'demo', promoCode: 'ONCE' }, links)).rejects.toMatchObject({
      code: 'invalid_promo_code',
      field: 'promoCode',
    });
  });

  it('hold each customer to the per-customer limit, and refuse expired, disabled, unknown codes and small deposits', async () => {
    await createPromoCode({ promoCodes, clock }, admin, { code: 'PERUSER', kind: 'fixed', value: '1.00', perUserLimit: 1, minDeposit: '20.00' });
    const buyer = await customer();
    await expect(createTopUp(topUpDeps(), buyer, { amount: '10.00', method: 'demo', promoCode: 'PERUSER' }, links)).rejects.toThrow(/at least 20.00/);
    const first = await createTopUp(topUpDeps(), buyer, { amount: '20.00', method: 'demo', promoCode: 'PERUSER' }, links);
    const second = await createTopUp(topUpDeps(), buyer, { amount: '20.00', method: 'demo', promoCode: 'PERUSER' }, links);
    await paidWithDemo(first.id);
    await paidWithDemo(second.id);
    expect(await topUps.find(second.id)).toMatchObject({ bonusCredited: 0, promoOutcome: 'per_user_limit' });
    expect(await balanceAndLedger(table, buyer.walletId)).toMatchObject({ balance: parseMoney('41.00') });
    await expect(createTopUp(topUpDeps(), buyer, { amount: '20.00', method: 'demo', promoCode: 'PERUSER' }, links)).rejects.toThrow(/already used/);

    await createPromoCode({ promoCodes, clock }, admin, { code: 'SOON', kind: 'percent', value: '5', expiresAt: new Date(now + 60_000).toISOString() });
    now += 120_000;
    await expect(createTopUp(topUpDeps(), buyer, { amount: '20.00', method: 'demo', promoCode: 'SOON' }, links)).rejects.toThrow(/expired/);
    await createPromoCode({ promoCodes, clock }, admin, { code: 'PAUSED', kind: 'percent', value: '5' });
    await updatePromoCode({ promoCodes, clock }, admin, 'paused', { disabled: true }, 'abuse');
    await expect(createTopUp(topUpDeps(), buyer, { amount: '20.00', method: 'demo', promoCode: 'PAUSED' }, links)).rejects.toThrow(/no such promo code/);
    await expect(createTopUp(topUpDeps(), buyer, { amount: '20.00', method: 'demo', promoCode: 'NOPE' }, links)).rejects.toThrow(/no such promo code/);
    const [disabled] = await auditEntries('PAUSED').then((e) => e.filter((x) => x.action === 'promo_code.disabled'));
    expect(disabled).toMatchObject({ before: { disabled: false }, after: { disabled: true }, reason: 'abuse', subjectType: 'promo_code' });
  });

  it('answer a repeated creation with the code, and refuse the same code with other terms', async () => {
    const deps = { promoCodes, clock };
    expect((await createPromoCode(deps, admin, { code: 'TWICE', kind: 'fixed', value: '2.00' })).created).toBe(true);
    expect((await createPromoCode(deps, admin, { code: 'twice', kind: 'fixed', value: '2.00' })).created).toBe(false);
    await expect(createPromoCode(deps, admin, { code: 'TWICE', kind: 'fixed', value: '3.00' })).rejects.toMatchObject({ code: 'promo_code_exists' });
    expect((await auditEntries('TWICE')).filter((e) => e.action === 'promo_code.created')).toHaveLength(1);
  });
});

describe('the audit search', () => {
  it('filters by actor, action, subject and time, newest first, and pages with its cursor across days', async () => {
    const log = new DynamoAuditLog(table.db, table.tableName);
    const search = new DynamoAuditSearch(table.db, table.tableName);
    const days = ['2025-03-01', '2025-03-02', '2025-03-04'];
    for (const [d, day] of days.entries()) {
      for (let i = 0; i < 4; i++) {
        await log.record({
          actor: i % 2 === 0 ? 'ann' : 'bob',
          action: i === 3 ? 'order.refunded' : 'login.succeeded',
          subject: `s${d}${i}`,
          at: `${day}T10:00:0${i}.000Z`,
        });
      }
    }
    const range = { from: '2025-03-01T00:00:00.000Z', to: '2025-03-04T23:59:59.999Z' };
    const all: AuditEntry[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await search.search({ ...range, limit: 5, ...(cursor ? { cursor } : {}) });
      all.push(...page.entries);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort().reverse());
    expect(all).toHaveLength(12);
    expect(new Set(all.map((e) => e.subject)).size).toBe(12);

    const ann = await search.search({ ...range, actor: 'ann', action: 'login.*', limit: 50 });
    expect(ann.entries).toHaveLength(6);
    expect(ann.entries.every((e) => e.actor === 'ann' && e.action === 'login.succeeded')).toBe(true);
    const refunds = await search.search({ ...range, action: 'order.refunded', limit: 50 });
    expect(refunds.entries.map((e) => e.subject)).toEqual(['s23', 's13', 's03']);
    const oneDay = await search.search({ from: '2025-03-02T00:00:00.000Z', to: '2025-03-02T10:00:01.000Z', limit: 50 });
    expect(oneDay.entries.map((e) => e.subject)).toEqual(['s11', 's10']);
    expect(oneDay.entries[0]).not.toHaveProperty('pk');
  });
});

describe('customer logins', () => {
  it('are audited, succeeded and failed, with the user id or the email hash and the source, never the password', async () => {
    const secrets = new InMemorySecretStore({ jwt: JSON.stringify({ current: 'k1', k1: 'integration-seed-'.repeat(3) }) });
    const accounts = new DynamoAccountStore(table.db, table.tableName);
    const sessionStore = new DynamoSessionStore(table.db, table.tableName);
    const failures = new DynamoAttemptCounters(table.db, table.tableName);
    const registration = new Accounts({ accounts, sessions: sessionStore, failures, email: { send: async () => undefined }, clock, currency: 'USD' });
    const audit = new DynamoAuditLog(table.db, table.tableName);
    const sessions = new Sessions({
      accounts,
      sessions: sessionStore,
      failures,
      tokens: new AccessTokens({ secrets, secretId: 'jwt', clock }),
      clock,
      audit,
      metrics: new RecordedMetrics(),
    });
    const password = 'correct horse 42';
    await registration.register({ email: 'login@example.com', password, apiBase: 'http://api', sourceIp: '192.0.2.50' });
    const userId = (await accounts.findUserIdByEmail('login@example.com'))!;

    expect((await sessions.login({ email: 'login@example.com', password, sourceIp: '198.51.100.7' })).ok).toBe(true);
    expect((await sessions.login({ email: 'login@example.com', password: 'wrong guess 1', sourceIp: '198.51.100.8' })).ok).toBe(false);
    expect((await sessions.login({ email: 'nobody@example.com', password: 'wrong guess 2', sourceIp: '198.51.100.9' })).ok).toBe(false);

    const logins = await auditAll({ action: 'login.*' });
    expect(logins.find((e) => e.source === '198.51.100.7')).toMatchObject({ actor: userId, action: 'login.succeeded', subject: userId });
    expect(logins.find((e) => e.source === '198.51.100.8')).toMatchObject({ actor: userId, action: 'login.failed', reason: 'invalid_credentials' });
    const unknown = logins.find((e) => e.source === '198.51.100.9')!;
    expect(unknown).toMatchObject({ action: 'login.failed', subject: 'unknown' });
    expect(unknown.actor).toMatch(/^email:[\w-]{43}$/);
    const stored = JSON.stringify(logins);
    for (const secret of [password, 'wrong guess 1', 'wrong guess 2', 'nobody@example.com']) expect(stored).not.toContain(secret);
    // One small item each: one write unit.
    for (const entry of logins) expect(Buffer.byteLength(JSON.stringify(entry))).toBeLessThan(1024);
  });
});
