// Every admin API operation (/admin/v1): what tests hold ROUTES and the permission table to.
import type { Operation } from '../../v1/operation.js';
import { auditOperations } from './audit.js';
import { adminDocsOperations } from './docs.js';
import { meOperations } from './me.js';
import { promoCodeOperations } from './promo-codes.js';
import { settingsOperations } from './settings.js';

export const ADMIN_OPERATIONS: readonly Operation[] = [
  ...adminDocsOperations,
  ...meOperations,
  ...settingsOperations,
  ...promoCodeOperations,
  ...auditOperations,
];
