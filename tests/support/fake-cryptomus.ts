// A stand-in for the Cryptomus API in tests: invoice creation and payment info, with its header signature checked.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cryptomusSign } from '../../lambdas/adapters/cryptomus/signature.js';

export interface FakeInvoice {
  uuid: string;
  order_id: string;
  amount: string;
  currency: string;
  status: string;
  url_callback?: string;
}

export interface FakeCryptomus {
  url: string;
  requests: { path: string; headers: Record<string, string | string[] | undefined>; body: string }[];
  invoices: Map<string, FakeInvoice>;
  /** Registers an invoice as if it had been created (for fixtures with fixed ids). */
  put(invoice: FakeInvoice): void;
  setStatus(uuid: string, status: string): void;
  close(): Promise<void>;
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

export async function startFakeCryptomus(credentials: { merchant: string; paymentKey: string }): Promise<FakeCryptomus> {
  const invoices = new Map<string, FakeInvoice>();
  const requests: FakeCryptomus['requests'] = [];
  const result = (i: FakeInvoice) => ({
    ...i,
    payment_status: i.status,
    url: `https://pay.cryptomus.test/pay/${i.uuid}`,
    is_final: false,
    payer_currency: null,
    expired_at: Math.floor(Date.now() / 1000) + 3600,
  });
  const server = createServer(async (req, res) => {
    const body = await read(req);
    requests.push({ path: req.url ?? '', headers: req.headers, body });
    const answer = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.headers.merchant !== credentials.merchant || req.headers.sign !== cryptomusSign(body, credentials.paymentKey)) {
      return answer(401, { state: 1, message: 'Unauthorized' });
    }
    const input = JSON.parse(body) as Record<string, string>;
    if (req.url === '/v1/payment') {
      const existing = [...invoices.values()].find((i) => i.order_id === input.order_id);
      if (existing) return answer(200, { state: 0, result: result(existing) });
      const invoice: FakeInvoice = {
        uuid: randomUUID(),
        order_id: input.order_id!,
        amount: input.amount!,
        currency: input.currency!,
        status: 'check',
        ...(input.url_callback ? { url_callback: input.url_callback } : {}),
      };
      invoices.set(invoice.uuid, invoice);
      return answer(200, { state: 0, result: result(invoice) });
    }
    if (req.url === '/v1/payment/info') {
      const invoice = input.uuid ? invoices.get(input.uuid) : [...invoices.values()].find((i) => i.order_id === input.order_id);
      return invoice ? answer(200, { state: 0, result: result(invoice) }) : answer(404, { state: 1, message: 'Payment not found' });
    }
    answer(404, { state: 1, message: 'Not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    invoices,
    put: (invoice) => void invoices.set(invoice.uuid, invoice),
    setStatus: (uuid, status) => {
      const invoice = invoices.get(uuid);
      if (invoice) invoice.status = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
