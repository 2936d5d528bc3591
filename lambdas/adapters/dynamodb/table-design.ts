// The table's shape, defined once: CDK creates it on AWS and the local stack creates it in DynamoDB Local.
// Access patterns are listed in docs/data-model.md.
export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Sparse: only orders that are not finalized carry openPk, so the index holds exactly the open orders. */
  openOrdersIndex: {
    name: 'open-orders',
    partitionKey: 'openPk',
    sortKey: 'openSk',
    projectedAttributes: ['id', 'providerId', 'phase', 'status', 'externalOrderId', 'startCount', 'remains', 'createdAt', 'progressAt'],
  },
  /**
   * Every order under its owner, newest first (the cabinet's order list). Projects what the list shows and filters
   * on, but not `updatedAt`, `phase`, `remains` or `startCount`: the workflow's bookkeeping and the poller's progress
   * writes change only those, and a change to a projected attribute costs an index write (a long order's progress
   * would otherwise write the index every few minutes).
   */
  ownerOrdersIndex: {
    name: 'owner-orders',
    partitionKey: 'ownerPk',
    sortKey: 'ownerSk',
    projectedAttributes: ['id', 'serviceId', 'serviceType', 'link', 'quantity', 'runs', 'interval', 'charge', 'refunded', 'status', 'createdAt'],
  },
  /**
   * Issue 11, the admin API's lists, one overloaded index (CloudFormation adds one index per table update, so one
   * index serves them all): orders by day of creation (`listPk` = `ORDERDAY#<yyyy-mm-dd>`, `listSk` = `<createdAt>#<id,
   * 12 digits>`), users by email (`USERS`, `<normalised email>#<id>`), ledger entries by day (`LEDGERDAY#<yyyy-mm-dd>`,
   * `<at>#<walletId>#<seq, 12 digits>`). Key builders: `keys.adminList*` in keys.ts. Projects what the lists show and
   * filter on; as with owner-orders, not what progress writes change (remains, startCount, updatedAt), so a long
   * order's progress does not write the index.
   */
  adminListsIndex: {
    name: 'admin-lists',
    partitionKey: 'listPk',
    sortKey: 'listSk',
    projectedAttributes: [
      'id',
      'ownerId',
      'walletId',
      'serviceId',
      'providerId',
      'status',
      'link',
      'quantity',
      'charge',
      'refunded',
      'createdAt',
      'email',
      'role',
      'blocked',
      'seq',
      'kind',
      'amount',
      'balanceAfter',
      'reference',
      'at',
    ],
  },
  /** Old and new images: events need the state before a change (a status's previous value, a balance crossing). */
  streamView: 'NEW_AND_OLD_IMAGES',
  timeToLiveAttribute: 'expiresAt',
} as const;

/** Every global secondary index, for the code that creates the table (CDK, DynamoDB Local). Sort keys are strings but open-orders'. */
export const TABLE_INDEXES = [
  { ...TABLE_DESIGN.openOrdersIndex, sortKeyType: 'number' },
  { ...TABLE_DESIGN.ownerOrdersIndex, sortKeyType: 'string' },
  { ...TABLE_DESIGN.adminListsIndex, sortKeyType: 'string' },
] as const;
