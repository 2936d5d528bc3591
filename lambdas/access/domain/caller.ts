// Who is calling: the owner and wallet an API key stands for (ResellerAccess decides whether they may).
export interface Caller {
  ownerId: string;
  walletId: string;
  keyPrefix: string;
}
