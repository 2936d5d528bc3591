// The admin catalog end to end on the local stack with the demo admin token: register a provider and a service
// through /admin/v1, watch a reseller order it through /api/v2 (within the order path's 30 s catalog cache), then put
// the provider in maintenance and watch the next order go to the service's fallback provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROVIDER_ID } from '../../local/seed.js';
import { DEMO_PROVIDER_KEY, type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';
import { v2 } from '../support/local-process.js';

let stack: LocalStack;
const answers: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 200, retryDelayMs: 100 });
});
afterAll(() => stack?.stop());

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.adminUrl}${path}`, {
    method,
    headers: { authorization: stack.admin.idToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  answers.push(text);
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const order = (service: number, link: string) => v2(stack.v2Url, { key: stack.reseller.apiKey, action: 'add', service, link, quantity: 100 });

describe('the admin catalog over HTTP', () => {
  let serviceId: number;

  it('registers a provider and a service that a reseller then orders through /api/v2', async () => {
    const provider = await admin('POST', '/providers', {
      id: 'e2e-panel',
      name: 'E2E panel',
      apiUrl: stack.provider.url,
      apiKey: DEMO_PROVIDER_KEY,
      acceptsRequestId: true,
    });
    expect(provider).toMatchObject({ status: 201, body: { id: 'e2e-panel', status: 'enabled' } });
    const service = await admin('POST', '/services', {
      name: 'E2E Views',
      category: 'YouTube',
      type: 'Default',
      rate: '2.00',
      cost: '0.50',
      min: 10,
      max: 10_000,
      providerId: 'e2e-panel',
      providerServiceId: '101',
      fallbacks: [{ providerId: DEMO_PROVIDER_ID, providerServiceId: '101', cost: '0.50' }],
    });
    expect(service).toMatchObject({ status: 201, body: { margin: '1.50' } });
    serviceId = service.body.id;

    // The order path reads the catalog through a 30 s cache per container.
    const placed = await eventually(
      async () => {
        const answer = await order(serviceId, 'https://youtube.com/watch?v=e2e-admin-1');
        return answer.body.order ? answer : undefined;
      },
      40_000,
      1000,
    );
    const id = Number(placed.body.order);
    const stored = await eventually(async () => {
      const o = await stack.deps.orders.getOrder(id);
      return o?.externalOrderId ? o : undefined;
    });
    expect(stored).toMatchObject({ providerId: 'e2e-panel', providerServiceId: '101', charge: 200_000 });
  });

  it('sends new orders to the fallback provider while the first is in maintenance', async () => {
    expect((await admin('POST', '/providers/e2e-panel/maintenance')).body).toMatchObject({ status: 'maintenance' });
    const placed = await order(serviceId, 'https://youtube.com/watch?v=e2e-admin-2');
    const id = Number(placed.body.order);
    // Until the submit step's cached catalog sees maintenance (30 s), the order may still go to e2e-panel.
    const stored = await eventually(async () => {
      const o = await stack.deps.orders.getOrder(id);
      return o?.externalOrderId ? o : undefined;
    }, 40_000);
    expect(['e2e-panel', DEMO_PROVIDER_ID]).toContain(stored.providerId);
    const later = await eventually(
      async () => {
        const answer = await order(serviceId, `https://youtube.com/watch?v=e2e-admin-3-${Date.now()}`);
        const o = await eventually(async () => {
          const found = await stack.deps.orders.getOrder(Number(answer.body.order));
          return found?.externalOrderId ? found : undefined;
        });
        return o.providerId === DEMO_PROVIDER_ID ? o : undefined;
      },
      45_000,
      2000,
    );
    expect(later.reassignments).toEqual([expect.objectContaining({ from: 'e2e-panel', to: DEMO_PROVIDER_ID, reason: 'Provider e2e-panel is in maintenance' })]);
  });

  it('lists the provider with its open orders to the operator, and never answers its key', async () => {
    const response = await fetch(`${stack.adminUrl}/providers`, { headers: { authorization: stack.operator.idToken } });
    const listed = (await response.json()) as { items: { id: string; health: { openOrders: number } }[] };
    expect(listed.items.find((p) => p.id === 'e2e-panel')).toBeDefined();
    for (const text of answers) expect(text).not.toContain(DEMO_PROVIDER_KEY);
  });
});
