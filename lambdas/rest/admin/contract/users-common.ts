// What the users contracts share (users.ts for adminUsers, users-resellers.ts for adminResellers): apart, so neither
// function bundles the other's operations.
import * as z from 'zod/mini';

export const TAG = 'Admin: users';
export const UserParams = z.object({ id: z.string().check(z.minLength(1), z.maxLength(100)) });
export const Tier = z.enum(['standard', 'pro', 'enterprise']);
export const Limit = z.int().check(z.minimum(1), z.maximum(1_000_000));
