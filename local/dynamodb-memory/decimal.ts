// DynamoDB numbers as exact decimals (coefficient × 10^exponent in BigInt): money arithmetic in ADD and SET a + b
// must never pass through a float. Up to 38 significant digits, as DynamoDB allows.
import { DynamoError } from './errors.js';

interface Decimal {
  coefficient: bigint;
  exponent: number;
}

const NUMBER = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

export function parseDecimal(text: string): Decimal {
  const match = NUMBER.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === ''))
    throw new DynamoError('ValidationException', `A value provided cannot be converted into a number`);
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  let coefficient = BigInt(`${whole}${fraction}` || '0');
  if (sign === '-') coefficient = -coefficient;
  return normalise({ coefficient, exponent: Number(exponent) - fraction.length });
}

function normalise(value: Decimal): Decimal {
  let { coefficient, exponent } = value;
  if (coefficient === 0n) return { coefficient: 0n, exponent: 0 };
  while (coefficient % 10n === 0n) {
    coefficient /= 10n;
    exponent++;
  }
  const digits = (coefficient < 0n ? -coefficient : coefficient).toString().length;
  if (digits > 38) throw new DynamoError('ValidationException', 'Attempting to store more than 38 significant digits in a Number');
  if (exponent + digits > 126)
    throw new DynamoError('ValidationException', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  if (exponent + digits < -129)
    throw new DynamoError('ValidationException', 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
  return { coefficient, exponent };
}

export function formatDecimal(value: Decimal): string {
  const negative = value.coefficient < 0n;
  const digits = (negative ? -value.coefficient : value.coefficient).toString();
  let text: string;
  if (value.exponent >= 0) text = digits + '0'.repeat(value.exponent);
  else {
    const point = digits.length + value.exponent;
    text = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return negative ? `-${text}` : text;
}

/** The canonical text DynamoDB stores and returns ("1.50" → "1.5", "1E2" → "100"). */
export function canonicalNumber(text: string): string {
  return formatDecimal(parseDecimal(text));
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exponent = Math.min(a.exponent, b.exponent);
  return [a.coefficient * 10n ** BigInt(a.exponent - exponent), b.coefficient * 10n ** BigInt(b.exponent - exponent), exponent];
}

export function addNumbers(a: string, b: string, sign: 1 | -1 = 1): string {
  const [x, y, exponent] = aligned(parseDecimal(a), parseDecimal(b));
  return formatDecimal(normalise({ coefficient: sign === 1 ? x + y : x - y, exponent }));
}

export function compareNumbers(a: string, b: string): number {
  const [x, y] = aligned(parseDecimal(a), parseDecimal(b));
  return x < y ? -1 : x > y ? 1 : 0;
}
