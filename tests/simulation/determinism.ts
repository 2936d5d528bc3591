// What makes a seed replay the same in this process: the harness (never domain code) replaces node:crypto's random
// sources with a stream drawn from the seed, and the crypto that Node runs on its thread pool (scrypt, WebCrypto
// sign/verify) with the synchronous forms, so no thread finishing early reorders the event loop. Math.random too.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type * as Crypto from 'node:crypto';

const require = createRequire(import.meta.url);
const crypto = require('node:crypto') as typeof Crypto;

/** splitmix32: a small fast stream; quality is not the point here, only that the seed decides it. */
function byteStream(seed: number): (size: number) => Buffer {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return (size) => {
    const out = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i += 4) {
      const word = next();
      for (let j = 0; j < 4 && i + j < size; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return out;
  };
}

let bytes: (size: number) => Buffer = byteStream(0);
type QuickTimer = ReturnType<typeof setImmediate>;
const quickTimers = new Set<QuickTimer>();
let quickPromises = 0;

/** Backoff timers (a second or less, made to fire at once) set and not yet fired or cleared. */
export function pendingQuickTimers(): number {
  return quickTimers.size + quickPromises;
}
let installed = false;

/** Restarts every harness-made random source from `seed`. Installs the replacements on first call. */
export function reseedRandomness(seed: number): void {
  bytes = byteStream(seed ^ 0x5eed);
  if (installed) return;
  installed = true;
  const original = { scrypt: crypto.scrypt, sign: crypto.webcrypto.subtle.sign, verify: crypto.webcrypto.subtle.verify };

  crypto.randomUUID = (() => {
    const b = bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const hex = b.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }) as typeof crypto.randomUUID;
  crypto.randomBytes = ((size: number, callback?: (error: Error | null, buf: Buffer) => void) => {
    const out = bytes(size);
    if (callback) queueMicrotask(() => callback(null, out));
    return out;
  }) as typeof crypto.randomBytes;
  const fill = <T extends NodeJS.ArrayBufferView>(view: T): T => {
    const target = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    target.set(bytes(view.byteLength));
    return view;
  };
  crypto.randomFillSync = ((view: NodeJS.ArrayBufferView) => fill(view)) as typeof crypto.randomFillSync;
  // crypto.getRandomValues is a getter onto webcrypto's: replacing webcrypto's covers both (and globalThis.crypto).
  Object.defineProperty(crypto.webcrypto, 'getRandomValues', { value: (view: NodeJS.ArrayBufferView) => fill(view), configurable: true, writable: true });
  crypto.randomInt = ((min: number, max?: number) => {
    const [low, high] = max === undefined ? [0, min] : [min, max];
    return low + (bytes(4).readUInt32LE(0) % (high - low));
  }) as typeof crypto.randomInt;

  // scrypt runs on the thread pool: its callback would land at a moment the wall clock decides.
  crypto.scrypt = ((password: Crypto.BinaryLike, salt: Crypto.BinaryLike, keylen: number, ...rest: unknown[]) => {
    const callback = rest.pop() as (error: Error | null, key: Buffer) => void;
    const options = (rest[0] ?? {}) as Crypto.ScryptOptions;
    let key: Buffer;
    try {
      key = crypto.scryptSync(password, salt, keylen, options);
    } catch (error) {
      return queueMicrotask(() => callback(error as Error, Buffer.alloc(0)));
    }
    queueMicrotask(() => callback(null, key));
  }) as typeof crypto.scrypt;
  void original.scrypt;

  // WebCrypto sign/verify (jose's EdDSA access tokens) also finish on the thread pool: done synchronously here.
  const subtle = crypto.webcrypto.subtle;
  const keyObject = (key: Crypto.webcrypto.CryptoKey) => crypto.KeyObject.from(key);
  const view = (data: Crypto.webcrypto.BufferSource) =>
    ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data as ArrayBuffer);
  const hashOf = (key: Crypto.webcrypto.CryptoKey) => ((key.algorithm as { hash?: { name: string } }).hash?.name ?? 'SHA-256').replace('-', '').toLowerCase();
  const syncSign = (algorithm: string, key: Crypto.webcrypto.CryptoKey, data: Buffer): Buffer | undefined => {
    if (algorithm === 'Ed25519') return crypto.sign(null, data, keyObject(key));
    if (algorithm === 'HMAC') return crypto.createHmac(hashOf(key), keyObject(key)).update(data).digest();
    if (algorithm === 'RSASSA-PKCS1-v1_5') return crypto.sign(hashOf(key), data, keyObject(key));
    return undefined;
  };
  const nameOf = (algorithm: Crypto.webcrypto.AlgorithmIdentifier) => (typeof algorithm === 'string' ? algorithm : algorithm.name);
  subtle.sign = (async (algorithm: Crypto.webcrypto.AlgorithmIdentifier, key: Crypto.webcrypto.CryptoKey, data: Crypto.webcrypto.BufferSource) => {
    const signature = syncSign(nameOf(algorithm), key, view(data));
    if (!signature) return original.sign.call(subtle, algorithm, key, data);
    return signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.byteLength);
  }) as typeof subtle.sign;
  subtle.verify = (async (
    algorithm: Crypto.webcrypto.AlgorithmIdentifier,
    key: Crypto.webcrypto.CryptoKey,
    signature: Crypto.webcrypto.BufferSource,
    data: Crypto.webcrypto.BufferSource,
  ) => {
    const name = nameOf(algorithm);
    if (name === 'Ed25519') return crypto.verify(null, view(data), keyObject(key), view(signature));
    if (name === 'RSASSA-PKCS1-v1_5') return crypto.verify(hashOf(key), view(data), keyObject(key), view(signature));
    if (name === 'HMAC') {
      const expected = crypto.createHmac(hashOf(key), keyObject(key)).update(view(data)).digest();
      const given = view(signature);
      return expected.length === given.length && crypto.timingSafeEqual(expected, given);
    }
    return original.verify.call(subtle, algorithm, key, signature, data);
  }) as typeof subtle.verify;

  Math.random = () => bytes(4).readUInt32LE(0) / 0x1_0000_0000;

  // Backoff pauses (a second or less: the adapters' retry jitter) take no wall time: the simulation's time is virtual,
  // and a pause that waits on the wall clock would let other work overtake it by a margin the machine decides.
  // Longer timers (the workflow's task timeouts) stay as they are.
  const timers = require('node:timers') as typeof import('node:timers');
  const timersPromises = require('node:timers/promises') as typeof import('node:timers/promises');
  const realSetTimeout = globalThis.setTimeout;
  const quick = (ms: number | undefined) => (ms !== undefined && ms > 1_000 ? ms : 0);
  // Pending quick timers are counted: the runner's settle loop takes a timer turn only while one is pending.
  const realClearTimeout = globalThis.clearTimeout;
  // A quick timer fires on the next turn of the event loop (an immediate): a timer of 0 ms waits a real millisecond,
  // which a seed's thousands of retries and turns spent idle.
  const patched = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (quick(ms) !== 0) return realSetTimeout(callback, ms, ...args);
    const handle = setImmediate(
      (...given: unknown[]) => {
        if (quickTimers.delete(handle)) callback(...given);
      },
      ...args,
    );
    quickTimers.add(handle);
    return handle;
  }) as unknown as typeof setTimeout;
  Object.assign(patched, realSetTimeout);
  const patchedClear = ((handle?: Parameters<typeof clearTimeout>[0]) => {
    if (quickTimers.delete(handle as unknown as QuickTimer)) clearImmediate(handle as unknown as QuickTimer);
    else realClearTimeout(handle);
  }) as typeof clearTimeout;
  globalThis.setTimeout = patched;
  timers.setTimeout = patched;
  globalThis.clearTimeout = patchedClear;
  timers.clearTimeout = patchedClear;
  const realPromiseTimeout = timersPromises.setTimeout;
  timersPromises.setTimeout = ((ms?: number, value?: unknown, options?: object) => {
    if (quick(ms) !== 0) return realPromiseTimeout(ms, value, options);
    quickPromises++;
    return timersPromises.setImmediate(value, options).finally(() => quickPromises--);
  }) as typeof realPromiseTimeout;
  // ESM importers of node:crypto (`import { randomUUID } from 'node:crypto'`) see the replacements too.
  syncBuiltinESMExports();
}
