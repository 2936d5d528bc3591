// Order statuses as the SMM panel API v2 spells them, and the reading of what upstream providers actually send.
export const ORDER_STATUSES = ['Pending', 'In progress', 'Processing', 'Completed', 'Partial', 'Canceled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['Completed', 'Partial', 'Canceled']);

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

const SPELLINGS: Record<string, OrderStatus> = {
  pending: 'Pending',
  new: 'Pending',
  queued: 'Pending',
  awaiting: 'Pending',
  'in progress': 'In progress',
  inprogress: 'In progress',
  active: 'In progress',
  paused: 'In progress',
  running: 'In progress',
  started: 'In progress',
  processing: 'Processing',
  completed: 'Completed',
  complete: 'Completed',
  done: 'Completed',
  success: 'Completed',
  expired: 'Completed',
  partial: 'Partial',
  partially: 'Partial',
  'partially completed': 'Partial',
  'partial completed': 'Partial',
  canceled: 'Canceled',
  cancelled: 'Canceled',
  cancel: 'Canceled',
  refunded: 'Canceled',
  refund: 'Canceled',
  fail: 'Canceled',
  failed: 'Canceled',
  error: 'Canceled',
  rejected: 'Canceled',
};

// Panels that answer with numbers use the PerfectPanel order of statuses.
const NUMBERED: OrderStatus[] = ['Pending', 'In progress', 'Completed', 'Partial', 'Canceled', 'Processing'];

/**
 * Words that read as Canceled but that panels also answer for a passing fault of their own (a failed lookup, a
 * worker's crash): a reading by one of them settles nothing until a later reading says the same
 * (docs/providers.md, "Ambiguous answers").
 */
const DOUBTFUL = new Set(['fail', 'failed', 'error']);

/** What a provider's word may be mapped to in its settings: a status, or `ambiguous` (Canceled once confirmed). */
export const STATUS_TARGETS = [...ORDER_STATUSES, 'ambiguous'] as const;
export type StatusTarget = (typeof STATUS_TARGETS)[number];

/** A provider's own words for statuses (its settings' `statusMapping`), keyed by normalizeStatusWord. */
export type StatusMapping = Readonly<Record<string, StatusTarget>>;

export interface StatusReading {
  status: OrderStatus;
  /** The word may not mean the order ended: only a later reading that says the same settles it. */
  doubtful: boolean;
}

/** A provider's status word as the mapping and the spellings look it up: case, spaces, `_` and `-` do not count. */
export function normalizeStatusWord(raw: unknown): string | undefined {
  if (typeof raw === 'number' && Number.isInteger(raw)) return String(raw);
  if (typeof raw !== 'string') return undefined;
  return raw.toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Reads a provider's status in any common case, spelling or numbering, the provider's own mapping first;
 * undefined when it cannot be understood.
 */
export function readProviderWord(raw: unknown, mapping?: StatusMapping): StatusReading | undefined {
  const text = normalizeStatusWord(raw);
  if (text === undefined) return undefined;
  const mapped = mapping && Object.hasOwn(mapping, text) ? mapping[text] : undefined;
  if (mapped !== undefined) return mapped === 'ambiguous' ? { status: 'Canceled', doubtful: true } : { status: mapped, doubtful: false };
  const status = /^\d+$/.test(text) ? NUMBERED[Number(text)] : Object.hasOwn(SPELLINGS, text) ? SPELLINGS[text] : undefined;
  return status === undefined ? undefined : { status, doubtful: DOUBTFUL.has(text) };
}

/** At most this many words in a provider's mapping, each at most this long: the provider item stays small. */
export const MAX_STATUS_MAPPING_ENTRIES = 30;
export const MAX_STATUS_WORD_LENGTH = 50;

/**
 * A mapping as an admin sends it, with its words normalised; a mapping that cannot be (too many or too long words,
 * two spellings of one word, an unknown target) is refused with what to fix.
 */
export function statusMappingOf(input: Record<string, string>): { mapping: StatusMapping } | { problem: string } {
  const entries = Object.entries(input);
  if (entries.length > MAX_STATUS_MAPPING_ENTRIES) return { problem: `At most ${MAX_STATUS_MAPPING_ENTRIES} status words` };
  // A Map, then own properties: `__proto__` must stay a plain word.
  const mapping = new Map<string, StatusTarget>();
  for (const [word, target] of entries) {
    const key = normalizeStatusWord(word) ?? '';
    if (key === '' || key.length > MAX_STATUS_WORD_LENGTH) return { problem: `Each status word has 1 to ${MAX_STATUS_WORD_LENGTH} characters` };
    if (!(STATUS_TARGETS as readonly string[]).includes(target))
      return { problem: `"${word}" maps to ${JSON.stringify(target)}: use one of ${STATUS_TARGETS.join(', ')}` };
    if (mapping.has(key)) return { problem: `"${word}" is named twice (case, spaces, _ and - do not count)` };
    mapping.set(key, target as StatusTarget);
  }
  return { mapping: Object.fromEntries(mapping) };
}

/** Reads a provider's status in any common case, spelling or numbering; undefined when it cannot be understood. */
export function readProviderStatus(raw: unknown): OrderStatus | undefined {
  return readProviderWord(raw)?.status;
}
