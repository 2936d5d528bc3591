// The world outside Codex for one seed, put together: the fault plan and its log, the providers behind the simulated
// internet, resellers' webhook receivers and the payment gateway. Everything draws from forks of the seed's stream.
import { DEFAULT_FAULT_PROBABILITIES, FaultLog, FaultPlan, type FaultProbabilities } from './faults.js';
import { FaultyProvider } from './faulty-provider.js';
import { SimInternet } from './internet.js';
import { SimPaymentGateway } from './payment-gateway.js';
import { type SimRandom, seededRandom } from './rng.js';
import { SimWebhookReceivers } from './webhook-receivers.js';

export * from './faults.js';
export * from './faulty-provider.js';
export * from './internet.js';
export * from './payment-gateway.js';
export * from './rng.js';
export * from './webhook-receivers.js';

export interface WorldOptions {
  seed: number;
  /** Upstream panels; each is served at `https://<id>.sim/api/v2`. */
  providers: readonly { id: string; apiKey: string; honoursRequestId?: boolean }[];
  /** The demo gateway's signing secret, as Codex reads it (LOCAL_DEMO_GATEWAY_SECRET on the local stack). */
  gatewaySecret: string;
  probabilities?: FaultProbabilities;
}

export interface SimWorld {
  random: SimRandom;
  faults: FaultPlan;
  log: FaultLog;
  internet: SimInternet;
  providers: readonly FaultyProvider[];
  /** The URL to register each provider under in Codex, by provider id. */
  providerUrls: ReadonlyMap<string, string>;
  receivers: SimWebhookReceivers;
  gateway: SimPaymentGateway;
  /** Every order every provider holds (InvariantInput.providerOrders). */
  providerOrders(): ReturnType<FaultyProvider['heldOrders']>;
}

export const providerUrl = (providerId: string) => `https://${providerId}.sim/api/v2`;

export function createWorld(options: WorldOptions): SimWorld {
  const random = seededRandom(options.seed);
  const log = new FaultLog();
  const faults = new FaultPlan(log, options.probabilities ?? DEFAULT_FAULT_PROBABILITIES);
  const internet = new SimInternet();
  const providerUrls = new Map<string, string>();
  const providers = options.providers.map((p) => {
    const provider = new FaultyProvider({
      providerId: p.id,
      apiKey: p.apiKey,
      random: random.fork(`provider/${p.id}`),
      faults,
      ...(p.honoursRequestId !== undefined ? { honoursRequestId: p.honoursRequestId } : {}),
    });
    const url = providerUrl(p.id);
    internet.register(new URL(url).host, provider.handle);
    providerUrls.set(p.id, url);
    return provider;
  });
  return {
    random,
    faults,
    log,
    internet,
    providers,
    providerUrls,
    receivers: new SimWebhookReceivers(random.fork('webhooks'), faults),
    gateway: new SimPaymentGateway({ secret: options.gatewaySecret, random: random.fork('payments'), faults }),
    providerOrders: () => providers.flatMap((p) => p.heldOrders()),
  };
}
