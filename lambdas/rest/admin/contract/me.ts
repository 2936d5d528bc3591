// Admin API: who the caller is and what their role may do (the admin panel shows only what it may call).
import * as z from 'zod/mini';
import type { Operation } from '../../v1/operation.js';

export const AdminRoleSchema = z.enum(['admin', 'operator']).register(z.globalRegistry, {
  description: 'admin runs the business; operator (support) views orders and users and acts on orders',
});

export const getAdminMe = {
  method: 'GET',
  path: '/admin/v1/me',
  auth: 'adminCognito',
  tag: 'Admin',
  summary: 'The signed-in admin or operator, and the routes their role may call',
  responses: {
    200: {
      description: 'The caller',
      body: z.object({
        userId: z.string().register(z.globalRegistry, { description: "The user pool's sub" }),
        email: z.optional(z.string()),
        role: AdminRoleSchema,
        permissions: z.array(z.string()).register(z.globalRegistry, { description: '`<METHOD> <path>` of every admin route the role may call' }),
      }),
    },
  },
} as const satisfies Operation;

export const meOperations: readonly Operation[] = [getAdminMe];
