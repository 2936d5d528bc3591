// The stand-in for mnemonist/lru-cache in Lambda bundles (the DynamoDB client's endpoint cache).
import { describe, expect, it } from 'vitest';
import LRUCache from '../../lambdas/shared/lru-cache.js';

describe('the bundled LRU cache', () => {
  it('forgets the least recently used entry when full, reading counting as use and peeking not', () => {
    const cache = new LRUCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.peek('a')).toBe(1);
    cache.set('d', 4);
    expect([cache.has('a'), cache.has('c'), cache.has('d')]).toEqual([false, true, true]);
    expect(cache.size).toBe(2);
  });

  it('replaces a value without forgetting another, and empties on clear', () => {
    const cache = new LRUCache<string, number[]>(2);
    cache.set('a', [1]).set('b', [2]).set('a', []);
    expect([cache.get('a'), cache.get('b')]).toEqual([[], [2]]);
    expect(cache.get('missing')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
