// AttributeValues as they travel in DynamoDB's JSON protocol ({ S: 'x' }, { N: '1.5' }, { M: {...} }, ...):
// equality, ordering, sizes and the checks DynamoDB makes on what it is given.
import { canonicalNumber, compareNumbers } from './decimal.js';
import { validation } from './errors.js';

export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

export const typeOf = (value: AttributeValue): string => Object.keys(value)[0] ?? '';

export function equalValues(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (!a || !b) return false;
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  const x = a[type];
  const y = b[type];
  switch (type) {
    case 'N':
      return compareNumbers(x as string, y as string) === 0;
    case 'S':
    case 'B':
    case 'BOOL':
    case 'NULL':
      return x === y;
    case 'SS':
    case 'BS':
      return (x as string[]).length === (y as string[]).length && (x as string[]).every((e) => (y as string[]).includes(e));
    case 'NS':
      return (x as string[]).length === (y as string[]).length && (x as string[]).every((e) => (y as string[]).some((f) => compareNumbers(e, f) === 0));
    case 'L':
      return (
        (x as AttributeValue[]).length === (y as AttributeValue[]).length && (x as AttributeValue[]).every((e, i) => equalValues(e, (y as AttributeValue[])[i]))
      );
    case 'M':
      return equalItems(x as Item, y as Item);
    default:
      return false;
  }
}

export function equalItems(a: Item | undefined, b: Item | undefined): boolean {
  if (!a || !b) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => equalValues(a[key], b[key]));
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const ascii = /^[ -~]*$/;

/** Ordering of scalars of one type (S by UTF-8 bytes, N numerically, B by bytes); undefined when not comparable. */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  const type = typeOf(a);
  if (type !== typeOf(b)) return undefined;
  if (type === 'N') return compareNumbers(a.N as string, b.N as string);
  if (type === 'S') {
    const x = a.S as string;
    const y = b.S as string;
    if (ascii.test(x) && ascii.test(y)) return x < y ? -1 : x > y ? 1 : 0;
    return Buffer.compare(utf8(x), utf8(y));
  }
  if (type === 'B') return Buffer.compare(Buffer.from(a.B as string, 'base64'), Buffer.from(b.B as string, 'base64'));
  return undefined;
}

/** Bytes DynamoDB counts for a value (close to its published rules). */
export function valueSize(value: AttributeValue): number {
  const type = typeOf(value);
  const v = value[type];
  switch (type) {
    case 'S':
      return Buffer.byteLength(v as string);
    case 'N':
      return Math.ceil(String(v).replace(/[-.]/g, '').length / 2) + 1;
    case 'B':
      return Buffer.from(v as string, 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (v as string[]).reduce((sum, e) => sum + Buffer.byteLength(e), 0);
    case 'NS':
      return (v as string[]).reduce((sum, e) => sum + Math.ceil(e.length / 2) + 1, 0);
    case 'BS':
      return (v as string[]).reduce((sum, e) => sum + Buffer.from(e, 'base64').length, 0);
    case 'L':
      return 3 + (v as AttributeValue[]).reduce((sum, e) => sum + 1 + valueSize(e), 0);
    case 'M':
      return 3 + Object.entries(v as Item).reduce((sum, [k, e]) => sum + 1 + Buffer.byteLength(k) + valueSize(e), 0);
    default:
      return 0;
  }
}

export const itemSize = (item: Item): number => Object.entries(item).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + valueSize(v), 0);

/** Checks a value from a request and returns it in DynamoDB's canonical form (numbers normalised). */
export function checkValue(value: unknown, where = 'item'): AttributeValue {
  if (!value || typeof value !== 'object') throw validation(`Supplied AttributeValue is empty, must contain exactly one of the supported datatypes`);
  const keys = Object.keys(value);
  if (keys.length !== 1) throw validation(`Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes`);
  const type = keys[0]!;
  const v = (value as AttributeValue)[type];
  switch (type) {
    case 'S':
    case 'B':
      return { [type]: String(v) };
    case 'N':
      return { N: canonicalNumber(String(v)) };
    case 'BOOL':
      return { BOOL: Boolean(v) };
    case 'NULL':
      return { NULL: true };
    case 'SS':
    case 'BS':
    case 'NS': {
      const list = (v as unknown[]).map(String);
      if (list.length === 0) throw validation(`One or more parameter values were invalid: An string set  may not be empty`);
      const canonical = type === 'NS' ? list.map(canonicalNumber) : list;
      if (new Set(canonical).size !== canonical.length)
        throw validation(`One or more parameter values were invalid: Input collection ${JSON.stringify(list)} contains duplicates.`);
      return { [type]: canonical };
    }
    case 'L':
      return { L: (v as unknown[]).map((e) => checkValue(e, where)) };
    case 'M':
      return { M: checkItem(v as Record<string, unknown>, where) };
    default:
      throw validation(`Supplied AttributeValue has an unknown datatype: ${type}`);
  }
}

export function checkItem(item: Record<string, unknown>, where = 'item'): Item {
  const out: Item = {};
  for (const [name, value] of Object.entries(item ?? {})) out[name] = checkValue(value, where);
  return out;
}
