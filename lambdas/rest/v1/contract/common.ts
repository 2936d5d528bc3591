// Schemas every part of the REST v1 contract shares: money, ids, lists, errors. Contracts are written with zod/mini:
// classic zod keeps its methods on prototypes, so a function using it carries all of it (about 90 KB minified);
// zod/mini costs about 25 KB.
import en from 'zod/v4/locales/en.js';
import * as z from 'zod/mini';

/**
 * Classic zod registers its English messages when its first schema is built; zod/mini leaves that to its user
 * (English alone: `z.locales` would bring every language). Called here and by the plumbing before it parses, so the
 * messages are English even in a bundle whose contracts never import this module.
 */
export function useEnglishMessages(): void {
  if (!z.config().localeError) z.config(en());
}
useEnglishMessages();

const MONEY_PATTERN = /^-?\d+(\.\d+)?$/;

/**
 * Money as a decimal string in the account's currency ("12.50"): exact, never a float. A new schema each call, so
 * one use's description does not change every other's (`.register` in zod/mini describes the schema it is given).
 */
export const money = (description = 'Decimal amount as a string') =>
  z.string().check(z.regex(MONEY_PATTERN)).register(z.globalRegistry, { description, example: '12.50' });

export const Money = money();

export const Timestamp = z.iso.datetime().register(z.globalRegistry, { description: 'ISO 8601 time (UTC)', example: '2026-12-01T10:00:00.000Z' });

/** An opaque cursor from `nextCursor`; absent for the first page. */
export const Cursor = z.string().check(z.minLength(1), z.maxLength(512)).register(z.globalRegistry, { description: 'The nextCursor of the previous page' });

/** A page of a list: `nextCursor` is null on the last page. */
export function page<T extends z.ZodMiniType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
}

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().register(z.globalRegistry, { example: 'invalid_request' }),
      message: z.string(),
      field: z.optional(z.string()).register(z.globalRegistry, { description: 'The input field at fault' }),
    }),
  })
  .register(z.globalRegistry, { id: 'Error' });

/** Query parameters arrive as text: a whole number within bounds, read from it. */
export const wholeNumberText = (min: number, max: number) => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));
