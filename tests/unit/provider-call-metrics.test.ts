// Calls to upstream providers as operators see them in CloudWatch: counted, timed and failed, by provider and action,
// whichever use case makes them; what the call returns or throws is unchanged.
import { describe, expect, it } from 'vitest';
import { MeteredProviderClients } from '../../lambdas/catalog/application/metered-provider-clients.js';
import { ProviderNotReached, ProviderOutcomeUnknown, ProviderRejected } from '../../lambdas/catalog/domain/provider-errors.js';
import { RecordedMetrics } from '../support/recorded-metrics.js';
import { ScriptedProvider } from '../support/scripted-provider.js';
import { testProvider } from '../support/test-provider.js';

const provider = (id: string) => testProvider({ id });

function setUp() {
  const upstream = new Map([
    ['alpha', new ScriptedProvider()],
    ['beta', new ScriptedProvider()],
  ]);
  const metrics = new RecordedMetrics();
  const clients = new MeteredProviderClients({ forProvider: async (p) => upstream.get(p.id)! }, metrics);
  return { upstream, metrics, client: (id: string) => clients.forProvider(provider(id)) };
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('provider call metrics', () => {
  it("counts and times each call under its provider and the protocol's action", async () => {
    const { metrics, client } = setUp();
    const alpha = await client('alpha');
    expect(await alpha.place({ providerServiceId: '1', link: 'https://x.test/a', quantity: 100, requestId: 'codex-1' })).toEqual({ externalOrderId: 'ext-1' });
    await alpha.multiStatus(['ext-1']);
    await alpha.refillStatus(['r-1']);
    await (await client('beta')).balance();

    expect(metrics.of('ProviderCalls').map((r) => r.dimensions)).toEqual([
      { provider: 'alpha', action: 'add' },
      { provider: 'alpha', action: 'status' },
      { provider: 'alpha', action: 'refill_status' },
      { provider: 'beta', action: 'balance' },
    ]);
    expect(metrics.of('ProviderCallLatency').map((r) => r.dimensions)).toEqual(metrics.of('ProviderCalls').map((r) => r.dimensions));
    expect(metrics.of('ProviderCallLatency').every((r) => Number.isInteger(r.value) && r.value >= 0)).toBe(true);
    // Every call says whether it failed: 0 here, so the average over a provider's calls is its error rate.
    expect(metrics.of('ProviderCallErrors').map((r) => r.value)).toEqual([0, 0, 0, 0]);
  });

  it('counts calls that did not reach the provider or got no usable answer as errors, and times them too', async () => {
    const { upstream, metrics, client } = setUp();
    const alpha = await client('alpha');
    const notReached = new ProviderNotReached('Provider not reachable (ECONNREFUSED)');
    upstream.get('alpha')!.placeScript.push(notReached);
    expect(await failureOf(alpha.place({ providerServiceId: '1', link: 'https://x.test/a', quantity: 100, requestId: 'codex-2' }))).toBe(notReached);
    upstream.get('alpha')!.statuses.set('ext-9', new ProviderOutcomeUnknown('No answer within 1000 ms'));
    expect(await failureOf(alpha.status('ext-9'))).toBeInstanceOf(ProviderOutcomeUnknown);

    expect(metrics.of('ProviderCallErrors').map((r) => [r.dimensions.action, r.value])).toEqual([
      ['add', 1],
      ['status', 1],
    ]);
    expect(metrics.of('ProviderCallLatency')).toHaveLength(2);
  });

  it("takes a provider's refusal of one order as its answer, and a refusal of a whole call about our orders as an error", async () => {
    const { upstream, metrics, client } = setUp();
    const alpha = await client('alpha');
    upstream.get('alpha')!.placeScript.push(new ProviderRejected('Link is private'));
    upstream.get('alpha')!.refillScript.push(new ProviderRejected('Refill is not available'));
    await failureOf(alpha.place({ providerServiceId: '1', link: 'https://x.test/a', quantity: 100, requestId: 'codex-3' }));
    await failureOf(alpha.refill('ext-1'));
    expect(metrics.of('ProviderCallErrors').map((r) => [r.dimensions.action, r.value])).toEqual([
      ['add', 0],
      ['refill', 0],
    ]);

    // A status call refused as a whole: a wrong key, a panel that no longer knows us.
    upstream.get('alpha')!.statuses.set('ext-2', new ProviderRejected('Invalid API key'));
    await failureOf(alpha.status('ext-2'));
    expect(metrics.sum('ProviderCallErrors', { action: 'status' })).toBe(1);
    expect(metrics.sum('ProviderCallErrors')).toBe(1);
    expect(metrics.sum('ProviderCalls')).toBe(3);
  });
});
