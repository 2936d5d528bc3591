// Who is calling: the owner and wallet an API key stands for (ResellerAccess decides whether they may).
export interface Caller {
  ownerId: string;
  walletId: string;
  keyPrefix: string;
}

/** A header key's record as the gateway's authorizer sees it. */
export interface HeaderCaller {
  ownerId: string;
  keyPrefix: string;
  active: boolean;
  /** Value of the owner's own API Gateway key; absent when the region's key limit left the owner without one. */
  gatewayKeyValue?: string;
}
