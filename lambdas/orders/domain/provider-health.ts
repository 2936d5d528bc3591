// When a provider is unhealthy, and which of its orders need a person: pure decisions over what the poller saw,
// kept between runs in one small state per provider (ProviderHealthStore). The clock and the settings come from outside.
import { createHash } from 'node:crypto';
import type { AttentionReason } from '../../events/catalogue.js';

/** Why a status call failed, in an operator's words; never the provider's own text. */
export type CallFailureKind = 'timeout_or_bad_answer' | 'unreachable' | 'refused';

/** The calls of one poller run (or one minute of runs) to one provider. */
export interface CallTally {
  /** Epoch minute. */
  minute: number;
  calls: number;
  failures: number;
  kinds: Partial<Record<CallFailureKind, number>>;
}

/** What an open order's provider keeps answering instead of a status, since when, and whether operators were told. */
export interface OrderAnomaly {
  reason: Exclude<AttentionReason, 'overdue'>;
  since: string;
  alerted?: boolean;
}

export interface ProviderHealthState {
  providerId: string;
  /** The window's minutes with calls, oldest first; empty while healthy and nothing failed in the window. */
  minutes: CallTally[];
  /** Start of the current bad spell, while the provider is judged unhealthy. */
  unhealthySince?: string;
  /** `provider.unhealthy` was published for this spell. */
  alerted?: boolean;
  /** By order id. */
  anomalies: Record<string, OrderAnomaly>;
  /** Bumped by each write; a write expecting an older one is refused (two overlapping poller runs). */
  version: number;
}

export interface HealthSettings {
  /** Failed calls over calls in the window at which a provider is unhealthy (0..1). */
  failureRate: number;
  /** Fewer calls than this in the window decide nothing (one timeout is not an outage). */
  minCalls: number;
  windowMinutes: number;
  /** How long an order may answer an unknown status or "Incorrect order ID" before it needs a person. */
  anomalyAlertAfterMs: number;
}

/** At most this many orders' anomalies are tracked per provider, so its state stays one small item. */
export const MAX_TRACKED_ANOMALIES = 300;

export function emptyHealth(providerId: string): ProviderHealthState {
  return { providerId, minutes: [], anomalies: {}, version: 0 };
}

export interface HealthVerdict {
  state: ProviderHealthState;
  /** Set when a spell needs its `provider.unhealthy` published (a new spell, or one whose publication failed). */
  alert?: { since: string; failureRate: number; reason: string };
  /** A spell ended with this run. */
  recovered: boolean;
}

/**
 * Adds a run's calls to the window and judges it. Unhealthy when the window holds at least `minCalls` calls and the
 * failed share reaches `failureRate`; healthy again when the window's calls succeed (nothing failed, or under half
 * the rate), so a provider hovering at the threshold does not start a spell a minute. While healthy the window only
 * keeps minutes from its first failure on: a clean run then changes nothing and costs no write.
 */
export function judgeHealth(state: ProviderHealthState, run: CallTally, settings: HealthSettings): HealthVerdict {
  const oldest = run.minute - settings.windowMinutes + 1;
  const minutes = state.minutes.filter((m) => m.minute >= oldest).map((m) => ({ ...m, kinds: { ...m.kinds } }));
  if (run.calls > 0) {
    const last = minutes.at(-1);
    if (last?.minute === run.minute) {
      last.calls += run.calls;
      last.failures += run.failures;
      for (const [kind, n] of Object.entries(run.kinds) as [CallFailureKind, number][]) last.kinds[kind] = (last.kinds[kind] ?? 0) + n;
    } else minutes.push({ ...run, kinds: { ...run.kinds } });
  }
  const { calls, failures } = totals(minutes);
  let unhealthySince = state.unhealthySince;
  let alerted = state.alerted;
  let recovered = false;
  if (unhealthySince === undefined) {
    if (calls >= settings.minCalls && failures / calls >= settings.failureRate) {
      const firstFailure = minutes.find((m) => m.failures > 0)!;
      unhealthySince = new Date(firstFailure.minute * 60_000).toISOString();
      alerted = false;
    }
  } else if (calls > 0 && (failures === 0 || (calls >= settings.minCalls && failures / calls < settings.failureRate / 2))) {
    unhealthySince = undefined;
    alerted = undefined;
    recovered = true;
  }
  const next: ProviderHealthState = {
    providerId: state.providerId,
    minutes: unhealthySince === undefined && failures === 0 ? [] : minutes,
    ...(unhealthySince !== undefined ? { unhealthySince, alerted: alerted === true } : {}),
    anomalies: state.anomalies,
    version: state.version,
  };
  return {
    state: next,
    recovered,
    ...(unhealthySince !== undefined && !alerted
      ? { alert: { since: unhealthySince, failureRate: round(failures / calls), reason: describe(minutes, settings) } }
      : {}),
  };
}

function totals(minutes: CallTally[]): { calls: number; failures: number } {
  return minutes.reduce((sum, m) => ({ calls: sum.calls + m.calls, failures: sum.failures + m.failures }), { calls: 0, failures: 0 });
}

const KIND_WORDS: Record<CallFailureKind, string> = {
  timeout_or_bad_answer: 'timed out, or answered an HTTP error or something that is not JSON',
  unreachable: 'could not connect or was rate limited',
  refused: 'refused the call (an error instead of statuses, for example a wrong API key)',
};

function describe(minutes: CallTally[], settings: HealthSettings): string {
  const { calls, failures } = totals(minutes);
  const kinds: Partial<Record<CallFailureKind, number>> = {};
  for (const m of minutes) for (const [kind, n] of Object.entries(m.kinds) as [CallFailureKind, number][]) kinds[kind] = (kinds[kind] ?? 0) + n;
  const parts = (Object.entries(kinds) as [CallFailureKind, number][]).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${KIND_WORDS[kind]}`);
  return `${failures} of ${calls} status calls failed in the last ${settings.windowMinutes} minutes: ${parts.join('; ')}`;
}

const round = (share: number) => Math.round(share * 1000) / 1000;

/** What an order's status answer was, as far as attention goes. */
export type OrderAnswer = 'status' | Exclude<AttentionReason, 'overdue'>;

export interface AnomalyVerdict {
  anomalies: Record<string, OrderAnomaly>;
  /** Orders that have answered so for `anomalyAlertAfterMs` and whose operators were not told yet. */
  due: { orderId: number; reason: OrderAnomaly['reason']; since: string }[];
}

/**
 * Follows each order's answers across runs: an anomaly starts at the first such answer, lasts while every answer
 * is the same one, and ends with a status, another anomaly (which starts anew) or the order leaving the open list.
 * Orders whose call failed this run keep what they had: no answer is not a good answer.
 */
export function trackAnomalies(
  current: Record<string, OrderAnomaly>,
  answers: ReadonlyMap<number, OrderAnswer>,
  stillOpen: ReadonlySet<number>,
  now: Date,
  settings: Pick<HealthSettings, 'anomalyAlertAfterMs'>,
): AnomalyVerdict {
  const anomalies: Record<string, OrderAnomaly> = {};
  for (const [id, anomaly] of Object.entries(current)) if (stillOpen.has(Number(id)) && !answers.has(Number(id))) anomalies[id] = anomaly;
  let tracked = Object.keys(anomalies).length;
  for (const [orderId, answer] of answers) {
    if (answer === 'status') continue;
    const before = current[String(orderId)];
    if (before?.reason === answer) anomalies[String(orderId)] = before;
    else if (tracked < MAX_TRACKED_ANOMALIES) anomalies[String(orderId)] = { reason: answer, since: now.toISOString() };
    else continue;
    tracked++;
  }
  const due = Object.entries(anomalies)
    .filter(([, a]) => !a.alerted && now.getTime() - Date.parse(a.since) >= settings.anomalyAlertAfterMs)
    .map(([id, a]) => ({ orderId: Number(id), reason: a.reason, since: a.since }));
  return { anomalies, due };
}

/** The same id for the same spell of the same provider, however many runs judge it. */
export function unhealthyEventId(providerId: string, since: string): string {
  return `evt_${digest(`provider.unhealthy\n${providerId}\n${since}`)}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
