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
  /** Old and new images: events need the state before a change (a status's previous value, a balance crossing). */
  streamView: 'NEW_AND_OLD_IMAGES',
  timeToLiveAttribute: 'expiresAt',
} as const;
