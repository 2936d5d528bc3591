// The schemas of common.ts written with zod/mini, for contracts of functions that must stay small: a function whose
// contracts use zod's classic API carries all of it (about 90 KB minified); zod/mini costs about 25 KB.
import en from 'zod/v4/locales/en.js';
import * as z from 'zod/mini';

// Classic zod registers its English messages when its first schema is built; zod/mini leaves that to its user
// (English alone: `z.locales` would bring every language).
if (!z.config().localeError) z.config(en());

/** Money as a decimal string in the account's currency ("12.50"): exact, never a float. */
export const Money = z
  .string()
  .check(z.regex(/^-?\d+(\.\d+)?$/))
  .register(z.globalRegistry, { description: 'Decimal amount as a string', example: '12.50' });

export const Timestamp = z.iso.datetime().register(z.globalRegistry, { description: 'ISO 8601 time (UTC)', example: '2026-12-01T10:00:00.000Z' });

/** An opaque cursor from `nextCursor`; absent for the first page. */
export const Cursor = z.string().check(z.minLength(1), z.maxLength(512)).register(z.globalRegistry, { description: 'The nextCursor of the previous page' });

/** A page of a list: `nextCursor` is null on the last page. */
export function page<T extends z.ZodMiniType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
}

/** Query parameters arrive as text: a whole number within bounds, read from it. */
export const wholeNumberText = (min: number, max: number) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));
