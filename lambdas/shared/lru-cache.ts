// Stands in for mnemonist/lru-cache inside Lambda bundles (see lib/bundling.ts): the DynamoDB client builds one for
// endpoint discovery (@aws-sdk/endpoint-cache), which Codex leaves off, and mnemonist brings 7 KB of typed-array
// and iterator helpers into every bundle with DynamoDB. The same least-recently-used cache on a Map (insertion order).
export default class LRUCache<K, V> {
  private readonly items = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.items.size;
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    if (!this.items.has(key)) return undefined;
    const value = this.items.get(key)!;
    this.items.delete(key);
    this.items.set(key, value);
    return value;
  }

  /** The value, leaving the order as it is. */
  peek(key: K): V | undefined {
    return this.items.get(key);
  }

  has(key: K): boolean {
    return this.items.has(key);
  }

  /** Stores the value as the most recently used, forgetting the least recently used one when full. */
  set(key: K, value: V): this {
    if (this.items.has(key)) this.items.delete(key);
    else if (this.items.size >= this.capacity) this.items.delete(this.items.keys().next().value as K);
    this.items.set(key, value);
    return this;
  }

  clear(): void {
    this.items.clear();
  }
}
