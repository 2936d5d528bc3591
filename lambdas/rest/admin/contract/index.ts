// Every admin API operation (/admin/v1): what tests hold ROUTES and the permission table to.
import type { Operation } from '../../v1/operation.js';
import { auditOperations } from './audit.js';
import { catalogOperations } from './catalog.js';
import { adminDocsOperations } from './docs.js';
import { financeOperations } from './finance.js';
import { meOperations } from './me.js';
import { adminOrdersOperations } from './orders.js';
import { promoCodeOperations } from './promo-codes.js';
import { providersOperations } from './providers.js';
import { settingsOperations } from './settings.js';
import { usersOperations } from './users.js';
import { resellersOperations } from './users-resellers.js';

export const ADMIN_OPERATIONS: readonly Operation[] = [
  ...adminDocsOperations,
  ...meOperations,
  ...catalogOperations,
  ...providersOperations,
  ...usersOperations,
  ...resellersOperations,
  ...financeOperations,
  ...adminOrdersOperations,
  ...settingsOperations,
  ...promoCodeOperations,
  ...auditOperations,
];
