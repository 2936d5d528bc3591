// Item keys of the single table. Every item also has an `entity` attribute naming what it is.
export const keys = {
  order: (id: number) => ({ pk: `ORDER#${id}`, sk: 'ORDER' }),
  openOrders: (providerId: string) => `OPEN#${providerId}`,
  wallet: (walletId: string) => ({ pk: `WALLET#${walletId}`, sk: 'WALLET' }),
  ledgerEntry: (walletId: string, seq: number) => ({ pk: `WALLET#${walletId}`, sk: `LEDGER#${String(seq).padStart(12, '0')}` }),
  ledgerPrefix: 'LEDGER#',
  idempotency: (scope: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}#${key}`, sk: 'IDEMPOTENCY' }),
  counter: (name: string) => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' }),
  catalog: 'CATALOG',
  service: (id: number) => ({ pk: 'CATALOG', sk: `SERVICE#${String(id).padStart(9, '0')}` }),
  provider: (id: string) => ({ pk: 'CATALOG', sk: `PROVIDER#${id}` }),
  apiKey: (keyHash: string) => ({ pk: `APIKEY#${keyHash}`, sk: 'APIKEY' }),
  user: (id: string) => ({ pk: `USER#${id}`, sk: 'PROFILE' }),
};
