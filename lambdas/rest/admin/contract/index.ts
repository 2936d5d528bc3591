// Every admin API operation (/admin/v1): what tests hold ROUTES and the permission table to.
import type { Operation } from '../../v1/operation.js';
import { adminDocsOperations } from './docs.js';
import { meOperations } from './me.js';
import { adminOrdersOperations } from './orders.js';

export const ADMIN_OPERATIONS: readonly Operation[] = [...adminDocsOperations, ...meOperations, ...adminOrdersOperations];
