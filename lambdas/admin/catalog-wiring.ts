// The admin catalog's adapters, each built on first use (see shared/platform.ts). The provider client and the
// secret writer are in providers-wiring.ts, so adminCatalog carries neither.
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log.js';
import { DynamoCatalogAdminStore } from '../adapters/dynamodb/catalog-admin-store.js';
import { DynamoProviderFigures } from '../adapters/dynamodb/provider-figures.js';
import type { AuditLog } from '../audit/ports.js';
import type { CatalogAdminStore, ProviderFigures } from '../catalog/ports.js';
import { lazy } from '../shared/platform.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';

export const catalogAdminStore: () => CatalogAdminStore = /* @__PURE__ */ lazy(() => new DynamoCatalogAdminStore(documentClient(), tableName()));
export const providerFigures: () => ProviderFigures = /* @__PURE__ */ lazy(() => new DynamoProviderFigures(documentClient(), tableName()));
export const catalogAuditLog: () => AuditLog = /* @__PURE__ */ lazy(() => new DynamoAuditLog(documentClient(), tableName()));
