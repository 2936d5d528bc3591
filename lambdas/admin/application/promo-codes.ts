// The admin API's promo codes: list, create, change (disable, limits, expiry). Each change is audited with its before
// and after in the transaction that writes it.
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import {
  changePromoCode,
  definePromoCode,
  type NewPromoCode,
  normalisePromoCode,
  type PromoCode,
  type PromoCodeChange,
} from '../../payments/domain/promo-codes.js';
import type { PromoCodeStore } from '../../payments/ports.js';
import { DomainError } from '../../shared/errors.js';
import { formatMoney } from '../../shared/money.js';
import type { Clock } from '../../shared/ports.js';
import type { AdminCaller } from '../domain/admin-caller.js';

export interface PromoAdminDeps {
  promoCodes: PromoCodeStore;
  clock: Clock;
}

export interface Actor {
  caller: AdminCaller;
  sourceIp: string;
}

export async function listPromoCodes(deps: PromoAdminDeps): Promise<PromoCode[]> {
  return (await deps.promoCodes.list()).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Creates the code. A retry of the same creation (same terms) answers the code as it is, created: false; the same
 * code with other terms is promo_code_exists.
 */
export async function createPromoCode(deps: PromoAdminDeps, actor: Actor, input: NewPromoCode): Promise<{ code: PromoCode; created: boolean }> {
  const now = deps.clock.now();
  const code = definePromoCode(input, now);
  const outcome = await deps.promoCodes.create(code, audit(actor, 'promo_code.created', code.code, now, undefined, terms(code)));
  if (outcome === 'created') return { code, created: true };
  const existing = await deps.promoCodes.get(code.code);
  if (existing && sameTerms(existing, code)) return { code: existing, created: false };
  throw new DomainError('promo_code_exists', `code: ${code.code} exists with other terms; change it with PATCH or pick another code`, 'code');
}

/** Changes the code's terms; a change that changes nothing writes nothing. */
export async function updatePromoCode(deps: PromoAdminDeps, actor: Actor, codeText: string, change: PromoCodeChange, reason?: string): Promise<PromoCode> {
  const codeName = normalisePromoCode(codeText);
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await deps.promoCodes.get(codeName);
    if (!current) throw new DomainError('unknown_promo_code', `No promo code ${codeName}`);
    const now = deps.clock.now();
    const next = changePromoCode(current, change, now);
    const [before, after] = [terms(current), terms(next)];
    const changed = Object.keys({ ...before, ...after }).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length === 0) return current;
    const pick = (from: Record<string, unknown>) => Object.fromEntries(changed.map((k) => [k, from[k] ?? null]));
    const action = change.disabled === true && !current.disabled ? 'promo_code.disabled' : 'promo_code.updated';
    const outcome = await deps.promoCodes.update(next, current.updatedAt, audit(actor, action, codeName, now, pick(before), pick(after), reason));
    if (outcome === 'written') return next;
  }
  throw new DomainError('settings_conflict', 'The promo code changed meanwhile; read it again');
}

/** What an admin sets (not `uses`, which deposits count). */
function terms(code: PromoCode): Record<string, unknown> {
  return {
    kind: code.kind,
    value: code.value,
    ...(code.minDeposit !== undefined ? { minDeposit: formatMoney(code.minDeposit, 2) } : {}),
    ...(code.maxUses !== undefined ? { maxUses: code.maxUses } : {}),
    ...(code.perUserLimit !== undefined ? { perUserLimit: code.perUserLimit } : {}),
    ...(code.expiresAt !== undefined ? { expiresAt: code.expiresAt } : {}),
    disabled: code.disabled,
  };
}

function sameTerms(a: PromoCode, b: PromoCode): boolean {
  return JSON.stringify(terms(a)) === JSON.stringify(terms(b));
}

function audit(
  actor: Actor,
  action: string,
  code: string,
  now: Date,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  reason?: string,
): AuditEntry {
  return {
    actor: actor.caller.userId,
    actorRole: actor.caller.role,
    ...(actor.caller.email ? { actorEmail: actor.caller.email } : {}),
    action,
    subjectType: 'promo_code',
    subject: code,
    source: actor.sourceIp,
    ...(reason ? { reason } : {}),
    ...(before ? { before } : {}),
    after,
    at: now.toISOString(),
  };
}
