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
  streamView: 'NEW_IMAGE',
  timeToLiveAttribute: 'expiresAt',
} as const;
