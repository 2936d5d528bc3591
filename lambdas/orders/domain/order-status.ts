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

/** Reads a provider's status in any common case, spelling or numbering; undefined when it cannot be understood. */
export function readProviderStatus(raw: unknown): OrderStatus | undefined {
  if (typeof raw === 'number' && Number.isInteger(raw)) return NUMBERED[raw];
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ');
  if (/^\d+$/.test(text)) return NUMBERED[Number(text)];
  return SPELLINGS[text];
}
