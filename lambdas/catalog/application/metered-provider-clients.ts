// Every call to an upstream panel counted and timed by provider and action (ProviderCalls, ProviderCallErrors,
// ProviderCallLatency), whichever use case makes it: the workflow, the poller, cancels, refills, admin syncs.
import type { MetricsRecorder } from '../../shared/observability/metrics-recorder.js';
import type { Provider } from '../domain/catalog.js';
import { ProviderRejected } from '../domain/provider-errors.js';
import type { ProviderClient, ProviderClients } from '../ports.js';

/** The protocol's action behind each method, as the order's provider-call log names it too. */
const ACTIONS = {
  place: 'add',
  status: 'status',
  multiStatus: 'status',
  cancel: 'cancel',
  refill: 'refill',
  refillStatus: 'refill_status',
  services: 'services',
  balance: 'balance',
} as const satisfies Record<keyof ProviderClient, string>;

/**
 * Actions about one customer's order, whose refusal is an answer about that order (a private link, a refill the
 * service does not offer), not a failing provider. Any other call refused as a whole (a wrong key, a status call
 * about our own orders) is an error, as are calls that did not reach the provider or got no usable answer.
 */
const REFUSAL_IS_AN_ANSWER: ReadonlySet<string> = new Set(['add', 'refill']);

export class MeteredProviderClients implements ProviderClients {
  constructor(
    private readonly clients: ProviderClients,
    private readonly metrics: MetricsRecorder,
  ) {}

  async forProvider(provider: Provider): Promise<ProviderClient> {
    return meteredClient(await this.clients.forProvider(provider), provider.id, this.metrics);
  }
}

function meteredClient(client: ProviderClient, providerId: string, metrics: MetricsRecorder): ProviderClient {
  // ProviderCallErrors is 0 or 1 for every call, so its average over a provider's calls is its error rate (the alarm's).
  const metered =
    <A extends unknown[], R>(action: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const dimensions = { provider: providerId, action };
      const started = performance.now();
      const done = (failed: boolean) => {
        metrics.record('ProviderCallLatency', Math.round(performance.now() - started), dimensions);
        metrics.record('ProviderCallErrors', failed ? 1 : 0, dimensions);
      };
      metrics.record('ProviderCalls', 1, dimensions);
      try {
        const result = await call(...args);
        done(false);
        return result;
      } catch (error) {
        done(!(error instanceof ProviderRejected && REFUSAL_IS_AN_ANSWER.has(action)));
        throw error;
      }
    };
  return {
    place: metered(ACTIONS.place, (request) => client.place(request)),
    status: metered(ACTIONS.status, (id) => client.status(id)),
    multiStatus: metered(ACTIONS.multiStatus, (ids) => client.multiStatus(ids)),
    cancel: metered(ACTIONS.cancel, (ids) => client.cancel(ids)),
    refill: metered(ACTIONS.refill, (id) => client.refill(id)),
    refillStatus: metered(ACTIONS.refillStatus, (ids) => client.refillStatus(ids)),
    services: metered(ACTIONS.services, () => client.services()),
    balance: metered(ACTIONS.balance, () => client.balance()),
  };
}
