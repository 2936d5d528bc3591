// Item keys of the single table. Every item also has an `entity` attribute naming what it is.

/** Orders are kept in pages of this many consecutive ids, one partition key per page (see `keys.order`). */
export const ORDER_PAGE_SIZE = 100;

const orderPage = (id: number): string => `ORDERS#${Math.floor(id / ORDER_PAGE_SIZE)}`;

export const keys = {
  // A page of consecutive ids shares a partition, so a status check of many recent orders is one Query per page
  // rather than an item read per order. Ids are handed out in blocks per container, so a page fills from one
  // container at the pace it accepts orders: far below a partition's write limit.
  order: (id: number) => ({ pk: orderPage(id), sk: `ORDER#${String(id).padStart(12, '0')}` }),
  orderPage,
  // Beside its order, outside the `ORDER#` range a status Query reads.
  taskToken: (orderId: number) => ({ pk: orderPage(orderId), sk: `TOKEN#${String(orderId).padStart(12, '0')}` }),
  openOrders: (providerId: string) => `OPEN#${providerId}`,
  // Issue 10, provider callbacks: the provider's order id → ours (immutable, written at submission).
  providerOrder: (providerId: string, externalOrderId: string) => ({ pk: `PROVIDERORDER#${providerId}#${externalOrderId}`, sk: 'PROVIDERORDER' }),
  wallet: (walletId: string) => ({ pk: `WALLET#${walletId}`, sk: 'WALLET' }),
  ledgerEntry: (walletId: string, seq: number) => ({ pk: `WALLET#${walletId}`, sk: `LEDGER#${String(seq).padStart(12, '0')}` }),
  ledgerPrefix: 'LEDGER#',
  // Balance leases (balance-lease.ts). An open lease is listed in its wallet's partition, right after the wallet item
  // (`WALLET#LEASE#…` sorts after `WALLET`), so one Query reads the wallet and its listings. The lease and the charges
  // it keeps until it settles have a partition each: every container writes its own, never the wallet's.
  walletLeaseListing: (walletId: string, leaseId: string) => ({ pk: `WALLET#${walletId}`, sk: `WALLET#LEASE#${leaseId}` }),
  lease: (walletId: string, leaseId: string) => ({ pk: `LEASE#${walletId}#${leaseId}`, sk: 'LEASE' }),
  leaseCharge: (walletId: string, leaseId: string, seq: number) => ({ pk: `LEASE#${walletId}#${leaseId}`, sk: `CHARGE#${String(seq).padStart(12, '0')}` }),
  leaseChargePrefix: 'CHARGE#',
  // Group commit (docs/wallet-concurrency.md): an order waiting to be committed on its wallet, in intent order, and the
  // reason a commit refused one, beside the order's page (kept a day, for the container waiting on it). Intents have a
  // partition of their own: their writes and the waiting containers' looks stay off the wallet's, which carries the
  // balance and the ledger (a partition takes 1,000 write units a second).
  walletIntents: (walletId: string) => `INTENTS#${walletId}`,
  orderIntent: (walletId: string, writtenAt: string, orderId: number) => ({
    pk: `INTENTS#${walletId}`,
    sk: `INTENT#${writtenAt}#${String(orderId).padStart(12, '0')}`,
  }),
  intentPrefix: 'INTENT#',
  orderRefusal: (id: number) => ({ pk: orderPage(id), sk: `REFUSED#${String(id).padStart(12, '0')}` }),
  idempotency: (scope: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}#${key}`, sk: 'IDEMPOTENCY' }),
  counter: (name: string) => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' }),
  refill: (id: number) => ({ pk: `REFILL#${id}`, sk: 'REFILL' }),
  exclusiveLink: (key: string) => ({ pk: `LINK#${key}`, sk: 'LINK' }),
  catalog: 'CATALOG',
  service: (id: number) => ({ pk: 'CATALOG', sk: `SERVICE#${String(id).padStart(9, '0')}` }),
  provider: (id: string) => ({ pk: 'CATALOG', sk: `PROVIDER#${id}` }),
  apiKey: (keyHash: string) => ({ pk: `APIKEY#${keyHash}`, sk: 'APIKEY' }),
  user: (id: string) => ({ pk: `USER#${id}`, sk: 'PROFILE' }),
  apiKeyListing: (ownerId: string, keyId: string) => ({ pk: `USER#${ownerId}`, sk: `APIKEY#${keyId}` }),
  apiKeyListingPrefix: 'APIKEY#',
  rateWindow: (keyId: string, epochMinute: number) => ({ pk: `RATE#${keyId}#${epochMinute}`, sk: 'RATE' }),
  orderQuota: (keyId: string, day: string) => ({ pk: `QUOTA#${keyId}#${day}`, sk: 'QUOTA' }),
  invalidKeyWindow: (source: string, epochMinute: number) => ({ pk: `ABUSE#SOURCE#${source}#${epochMinute}`, sk: 'INVALID_KEY' }),
  invalidRequestWindow: (keyId: string, epochMinute: number) => ({ pk: `ABUSE#KEY#${keyId}#${epochMinute}`, sk: 'INVALID_REQUEST' }),
  sourceBlock: (source: string) => ({ pk: `BLOCK#SOURCE#${source}`, sk: 'BLOCK' }),
  audit: (day: string, timeAndNonce: string) => ({ pk: `AUDIT#${day}`, sk: timeAndNonce }),
  // Money in (top-ups and payment gateways): a top-up lives with its owner, so a listing is one Query; the pointer
  // finds it from the id alone (callbacks, the demo checkout) and carries the callbacks tied to it.
  topUp: (ownerId: string, id: string) => ({ pk: `USER#${ownerId}`, sk: `TOPUP#${id}` }),
  topUpPrefix: 'TOPUP#',
  topUpPointer: (id: string) => ({ pk: `TOPUP#${id}`, sk: 'TOPUP' }),
  topUpCallback: (id: string, timeAndNonce: string) => ({ pk: `TOPUP#${id}`, sk: `CALLBACK#${timeAndNonce}` }),
  refusedCallback: (method: string, day: string, timeAndNonce: string) => ({ pk: `CALLBACKS#${method}#${day}`, sk: timeAndNonce }),
  paymentEvent: (method: string, paymentId: string, status: string) => ({ pk: `PAYEVENT#${method}#${paymentId}#${status}`, sk: 'PAYEVENT' }),
  // Issue 9, cabinet: every order under its owner (index owner-orders, newest first), and the order limits' counters.
  ownerOrders: (ownerId: string) => `OWNER#${ownerId}`,
  ownerOrderSort: (createdAt: string, id: number) => `${createdAt}#${String(id).padStart(12, '0')}`,
  activeOrders: (ownerId: string) => ({ pk: `LIMIT#${ownerId}`, sk: 'ACTIVE' }),
  dailySpend: (ownerId: string, day: string) => ({ pk: `LIMIT#${ownerId}`, sk: `SPEND#${day}` }),
  // Accounts and sessions (issue 9): the claim that makes an email unique, one-time tokens by hash, sessions under
  // their user (so all of them are one Query), counters of failed logins and of emails asked for.
  emailClaim: (normalisedEmail: string) => ({ pk: `EMAIL#${normalisedEmail}`, sk: 'EMAIL' }),
  oneTimeToken: (tokenHash: string) => ({ pk: `AUTHTOKEN#${tokenHash}`, sk: 'AUTHTOKEN' }),
  session: (userId: string, sessionId: string) => ({ pk: `USER#${userId}`, sk: `SESSION#${sessionId}` }),
  sessionPrefix: 'SESSION#',
  attempts: (counterKey: string) => ({ pk: `ATTEMPTS#${counterKey}`, sk: 'ATTEMPTS' }),
  // Issue 10, reseller webhooks: one webhook per user, and its delivery records (newest first, kept 30 days).
  webhook: (userId: string) => ({ pk: `USER#${userId}`, sk: 'WEBHOOK' }),
  webhookDelivery: (userId: string, deliveryId: string) => ({ pk: `USER#${userId}`, sk: `WHDELIVERY#${deliveryId}` }),
  webhookDeliveryPrefix: 'WHDELIVERY#',
  // Issue 10, the cabinet's notification feed: notifications under their user, newest first by the event's time; a
  // pointer from the event id to its notification (marking by id); the feed's counts (unread per day, mark-all point).
  notification: (userId: string, at: string, eventId: string) => ({ pk: `USER#${userId}`, sk: `NOTIFICATION#${at}#${eventId}` }),
  notificationPrefix: 'NOTIFICATION#',
  notificationPointer: (userId: string, eventId: string) => ({ pk: `USER#${userId}`, sk: `NOTIFICATION_ID#${eventId}` }),
  notificationCounts: (userId: string) => ({ pk: `USER#${userId}`, sk: 'NOTIFICATIONS' }),
  // Issue 10, consumers: one claim per event and consumer (TTL `expiresAt`, 35 days: longer than the bus archive's 30), so an event is handled once.
  eventClaim: (eventId: string, consumer: string) => ({ pk: `EVENT#${eventId}`, sk: `CLAIM#${consumer}` }),
  // Issue 10, operator alerts: the poller's memory of a provider's recent calls and of its orders' odd answers.
  providerHealth: (providerId: string) => ({ pk: `HEALTH#${providerId}`, sk: 'HEALTH' }),
  // Issue 11, the admin API's lists (index admin-lists, table-design.ts): orders and ledger entries by UTC day of
  // creation, users by email. Set on the items when they are written (`listPk`, `listSk`).
  adminListOrders: (createdAt: string, id: number) => ({
    listPk: `ORDERDAY#${createdAt.slice(0, 10)}`,
    listSk: `${createdAt}#${String(id).padStart(12, '0')}`,
  }),
  adminListUsers: (normalisedEmail: string, id: string) => ({ listPk: 'USERS', listSk: `${normalisedEmail}#${id}` }),
  // Balance leases to settle (balance-lease.ts), on their listing items, oldest first: open ones by when they were taken
  // (`LEASES`), and those their holders closed (`LEASES#CLOSED`), which the sweep settles first.
  openLeases: 'LEASES',
  closedLeases: 'LEASES#CLOSED',
  openLeaseListing: (takenAt: string, walletId: string, leaseId: string) => ({ listPk: 'LEASES', listSk: `${takenAt}#${walletId}#${leaseId}` }),
  adminListLedger: (at: string, walletId: string, seq: number) => ({
    listPk: `LEDGERDAY#${at.slice(0, 10)}`,
    listSk: `${at}#${walletId}#${String(seq).padStart(12, '0')}`,
  }),
  // Issue 11, admin users: a reseller's wholesale prices (read by order placement, cached 30 s per container).
  resellerPricing: (ownerId: string) => ({ pk: `USER#${ownerId}`, sk: 'PRICING' }),
  // Issue 11, catalog: every change of a service's price or cost, oldest first under the service.
  priceChange: (serviceId: number, timeAndNonce: string) => ({ pk: `PRICE#${String(serviceId).padStart(9, '0')}`, sk: timeAndNonce }),
  priceHistory: (serviceId: number) => `PRICE#${String(serviceId).padStart(9, '0')}`,
  // Issue 11, finance: the totals of a UTC day (kept from the stream), the marker that counted a fact once (TTL), and
  // reconciliation jobs.
  // `TOTALS` holds the ledger's counters (small), `ORDERS` the settled orders' (by status, service, provider: larger),
  // so a lone ledger entry's transaction does not pay for the orders' item.
  financeTotals: (day: string, part: 'TOTALS' | 'ORDERS' = 'TOTALS') => ({ pk: `FINANCE#${day}`, sk: part }),
  financeMarker: (marker: string) => ({ pk: `FINANCEMARK#${marker}`, sk: 'FINANCEMARK' }),
  reconciliation: (id: string) => ({ pk: `RECONCILIATION#${id}`, sk: 'RECONCILIATION' }),
  // Issue 11, settings and promo codes: their keys (`SETTINGS`/`SETTINGS`, `PROMOS`/`CODE#<code>`,
  // `PROMOUSE#<code>#<user>`/`PROMOUSE`) are built in settings-store.ts and promo-code-store.ts, so that the bundles of
  // functions that use neither (every one carries this object whole) do not carry them.
};
