// Valid-looking values for a zod contract schema (zod or zod/mini: read through zod's core definitions), as the
// fuzzer's starting point before it breaks them. Only what the contracts use is understood; anything else gets any
// JSON value, which is also a fair input.
import fc from 'fast-check';
import type * as core from 'zod/v4/core';

interface Def {
  type: string;
  shape?: Record<string, core.$ZodType>;
  innerType?: core.$ZodType;
  element?: core.$ZodType;
  keyType?: core.$ZodType;
  valueType?: core.$ZodType;
  catchall?: core.$ZodType;
  in?: core.$ZodType;
  options?: core.$ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  checks?: { _zod: { def: CheckDef } }[];
  format?: string;
  pattern?: RegExp;
  coerce?: boolean;
}

interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

const defOf = (schema: core.$ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Values near what the schema accepts: mostly valid, at its bounds, sometimes just past them. */
export function schemaArbitrary(schema: core.$ZodType, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (depth > 8) return fc.constant(null);
  switch (def.type) {
    case 'object': {
      const shape = def.shape ?? {};
      const required = Object.keys(shape).filter((key) => !isOptional(shape[key]!));
      const record = fc.record(Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, schemaArbitrary(value, depth + 1)])), {
        requiredKeys: required,
      });
      if (!def.catchall || defOf(def.catchall).type === 'never') return record;
      const extra = fc.dictionary(
        fc.constantFrom('link', 'quantity', 'runs', 'interval', 'comments', 'username', 'min', 'max'),
        schemaArbitrary(def.catchall, depth + 1),
        {
          maxKeys: 4,
        },
      );
      return fc.tuple(record, extra).map(([fields, more]) => ({ ...more, ...fields }));
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return schemaArbitrary(def.innerType!, depth);
    case 'pipe':
      return schemaArbitrary(def.in!, depth);
    case 'array':
      return fc.array(schemaArbitrary(def.element!, depth + 1), { maxLength: 4 });
    case 'record':
      return fc.dictionary(keyArbitrary(def.keyType!), schemaArbitrary(def.valueType!, depth + 1), { maxKeys: 4 });
    case 'union':
      return fc.oneof(...(def.options ?? []).map((option) => schemaArbitrary(option, depth + 1)));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { a: 'a' }));
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'number':
    case 'int':
    case 'bigint':
      return numberArbitrary(def);
    case 'string':
      return stringArbitrary(def);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function isOptional(schema: core.$ZodType): boolean {
  const type = defOf(schema).type;
  return type === 'optional' || type === 'default';
}

function keyArbitrary(schema: core.$ZodType): fc.Arbitrary<string> {
  return schemaArbitrary(schema).map(String);
}

function bounds(def: Def): { min: number | undefined; max: number | undefined; int: boolean } {
  let min: number | undefined;
  let max: number | undefined;
  let int = def.type === 'int';
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'greater_than') min = (c.value ?? 0) + (c.inclusive ? 0 : 1);
    if (c.check === 'less_than') max = (c.value ?? 0) - (c.inclusive ? 0 : 1);
    if (c.check === 'number_format' && /int/.test(c.format ?? '')) int = true;
  }
  return { min, max, int };
}

function numberArbitrary(def: Def): fc.Arbitrary<unknown> {
  const { min, max, int } = bounds(def);
  const lo = min ?? -1_000_000;
  const hi = max ?? 1_000_000;
  const inside = int
    ? fc.integer({ min: Math.max(lo, Number.MIN_SAFE_INTEGER), max: Math.min(Math.max(hi, lo), Number.MAX_SAFE_INTEGER) })
    : fc.double({ min: lo, max: Math.max(hi, lo), noNaN: true });
  const edges = [lo, hi, lo - 1, hi + 1, 0].filter((n) => Number.isFinite(n));
  return fc.oneof({ weight: 6, arbitrary: inside }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
}

const SAMPLE_PATTERNS: [RegExp, fc.Arbitrary<string>][] = [];

function stringArbitrary(def: Def): fc.Arbitrary<unknown> {
  let minLength = 0;
  let maxLength = 40;
  let pattern: RegExp | undefined = def.pattern;
  let format = def.format;
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'min_length') minLength = c.minimum ?? 0;
    if (c.check === 'max_length') maxLength = c.maximum ?? maxLength;
    if (c.check === 'string_format') {
      format = c.format;
      if (c.pattern) pattern = c.pattern;
    }
  }
  const byFormat = formatArbitrary(format, pattern);
  if (byFormat) return fc.oneof({ weight: 8, arbitrary: byFormat }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
  const shortMax = Math.min(maxLength, 40);
  const inside = fc.string({ minLength: Math.min(minLength, shortMax), maxLength: Math.max(shortMax, minLength) });
  const edges = fc.constantFrom('', 'x'.repeat(Math.max(minLength - 1, 0)), 'x'.repeat(Math.min(maxLength, 5000)), 'x'.repeat(Math.min(maxLength + 1, 5001)));
  return fc.oneof({ weight: 8, arbitrary: inside }, { weight: 1, arbitrary: edges });
}

const MONEY = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }).map(String),
  fc.tuple(fc.integer({ min: -50, max: 5000 }), fc.integer({ min: 0, max: 999_999 })).map(([a, b]) => `${a}.${String(b).padStart(2, '0')}`),
  fc.constantFrom('0', '0.01', '-0.01', '12.50', '999999999999.99', '0.0000001', '1e3'),
);

function formatArbitrary(format: string | undefined, pattern: RegExp | undefined): fc.Arbitrary<string> | undefined {
  switch (format) {
    case 'email':
      return fc.oneof(fc.emailAddress(), fc.constantFrom('customer@codex.local', 'reseller@codex.local', 'nobody@example.com'));
    case 'datetime':
      return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'url':
      return fc.oneof(fc.webUrl(), fc.constantFrom('http://127.0.0.1:1/hook', 'https://example.com/x', 'ftp://x', 'javascript:alert(1)'));
    case 'uuid':
    case 'guid':
      return fc.uuid();
  }
  if (!pattern) return undefined;
  const known = SAMPLE_PATTERNS.find(([p]) => p.source === pattern.source)?.[1];
  if (known) return known;
  if (/\\d\+\(\\\.\\d\+\)\?/.test(pattern.source)) return MONEY;
  try {
    return fc.stringMatching(pattern, { size: 'small' });
  } catch {
    return undefined;
  }
}
