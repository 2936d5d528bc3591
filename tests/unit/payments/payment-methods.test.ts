// Which payment methods a deployment offers: listed in PAYMENT_METHODS and configured.
import { afterEach, describe, expect, it } from 'vitest';
import { cryptomusSign } from '../../../lambdas/adapters/cryptomus/signature.js';
import { paymentGateways } from '../../../lambdas/payments/wiring.js';
import { loadConfig } from '../../../lambdas/shared/config.js';
import { usePlatform } from '../../../lambdas/shared/platform.js';
import { InMemorySecretStore } from '../../../local/secret-store.js';

const VARS = ['PAYMENT_METHODS', 'CRYPTOMUS_SECRET_ID', 'CODEX_CRYPTOMUS_MERCHANT', 'CODEX_CRYPTOMUS_PAYMENT_KEY'];
const saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));

function environment(values: Record<string, string>) {
  for (const name of VARS) delete process.env[name];
  Object.assign(process.env, values);
}

afterEach(() => {
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('payment methods', () => {
  it('reads the payment settings with their defaults, and names an unknown method or a bad amount', () => {
    expect(loadConfig({})).toMatchObject({
      PAYMENT_METHODS: [],
      MIN_DEPOSIT: '1.00',
      MAX_DEPOSIT: '10000.00',
      TOP_UP_LIFETIME_SECONDS: 3600,
      CODEX_CRYPTOMUS_API_URL: 'https://api.cryptomus.com',
    });
    expect(loadConfig({ PAYMENT_METHODS: 'demo, cryptomus' }).PAYMENT_METHODS).toEqual(['demo', 'cryptomus']);
    expect(() => loadConfig({ PAYMENT_METHODS: 'demo,paypal' })).toThrow('PAYMENT_METHODS: invalid');
    expect(() => loadConfig({ MIN_DEPOSIT: '1,00' })).toThrow('MIN_DEPOSIT: invalid');
  });

  it('offers Cryptomus only when it is listed and configured', async () => {
    environment({ PAYMENT_METHODS: 'demo,cryptomus' });
    usePlatform({ secrets: new InMemorySecretStore({}) });
    expect(await paymentGateways().offered()).toEqual(['demo']);

    environment({ PAYMENT_METHODS: 'demo', CODEX_CRYPTOMUS_MERCHANT: 'm', CODEX_CRYPTOMUS_PAYMENT_KEY: 'k' });
    usePlatform({ secrets: new InMemorySecretStore({}) });
    expect(await paymentGateways().offered()).toEqual(['demo']);
  });

  it('takes the merchant and payment key from the environment, or from a JSON secret on AWS', async () => {
    const body = (key: string) => {
      const data = '{"uuid":"u","order_id":"o","status":"paid"}';
      return `${data.slice(0, -1)},"sign":"${cryptomusSign(data, key)}"}`;
    };
    environment({ PAYMENT_METHODS: 'cryptomus', CODEX_CRYPTOMUS_MERCHANT: 'm', CODEX_CRYPTOMUS_PAYMENT_KEY: 'env-key' });
    usePlatform({ secrets: new InMemorySecretStore({}) });
    const fromEnv = (await paymentGateways().get('cryptomus'))!;
    expect(await fromEnv.verifyCallback(body('env-key'), {})).toHaveProperty('event');

    environment({ PAYMENT_METHODS: 'cryptomus', CRYPTOMUS_SECRET_ID: 'codex/cryptomus' });
    usePlatform({ secrets: new InMemorySecretStore({ 'codex/cryptomus': JSON.stringify({ merchant: 'm', paymentKey: 'secret-key' }) }) });
    expect(await paymentGateways().offered()).toEqual(['cryptomus']);
    const fromSecret = (await paymentGateways().get('cryptomus'))!;
    expect(await fromSecret.verifyCallback(body('secret-key'), {})).toHaveProperty('event');
    expect(await fromSecret.verifyCallback(body('env-key'), {})).toMatchObject({ refused: 'bad_signature' });
  });
});
