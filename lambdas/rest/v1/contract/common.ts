// Schemas every part of the REST v1 contract shares: money, ids, lists, errors.
import * as z from 'zod';

/** Money as a decimal string in the account's currency ("12.50"): exact, never a float. */
export const Money = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ description: 'Decimal amount as a string', example: '12.50' });

export const Timestamp = z.iso.datetime().meta({ description: 'ISO 8601 time (UTC)', example: '2026-12-01T10:00:00.000Z' });

/** An opaque cursor from `nextCursor`; absent for the first page. */
export const Cursor = z.string().min(1).max(512).meta({ description: 'The nextCursor of the previous page' });

/** A page of a list: `nextCursor` is null on the last page. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'invalid_request' }),
      message: z.string(),
      field: z.string().optional().meta({ description: 'The input field at fault' }),
    }),
  })
  .meta({ id: 'Error' });

/** Query parameters arrive as text: a whole number within bounds, read from it. */
export const wholeNumberText = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
