import { describe, expect, it } from 'vitest';
import { SmmV2Client } from '../../../lambdas/adapters/provider/smm-v2-client.js';
import { createWorld } from './index.js';

describe('one seed’s world put together', () => {
  it('serves each provider at its own host and lists the orders of all of them, identically for the same seed', async () => {
    const build = async () => {
      const world = createWorld({
        seed: 5,
        providers: [
          { id: 'alpha', apiKey: 'ka' },
          { id: 'beta', apiKey: 'kb' },
        ],
        gatewaySecret: 'secret',
      });
      for (const [id, key] of [
        ['alpha', 'ka'],
        ['beta', 'kb'],
      ] as const) {
        const client = new SmmV2Client(world.providerUrls.get(id)!, key, 1000, world.internet.fetch);
        for (let n = 0; n < 10; n++)
          await client.place({ providerServiceId: '101', link: `https://y.t/${id}/${n}`, quantity: 100, requestId: `codex-${n}` }).catch(() => undefined);
      }
      return world;
    };
    const world = await build();
    const orders = world.providerOrders();
    expect(new Set(orders.map((o) => o.providerId))).toEqual(new Set(['alpha', 'beta']));
    expect(orders.every((o) => o.link.includes(`/${o.providerId}/`))).toBe(true);
    const again = await build();
    expect(again.providerOrders().map((o) => o.providerOrderId)).toEqual(orders.map((o) => o.providerOrderId));
    expect(again.log.counts()).toEqual(world.log.counts());
    expect(world.log.total).toBeGreaterThan(0);
  });
});
