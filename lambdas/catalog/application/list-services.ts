// The services a customer may order, in the catalog's order.
import type { Service } from '../domain/catalog.js';
import type { CatalogStore } from '../ports.js';

export async function listOrderableServices(services: { catalog: CatalogStore }): Promise<Service[]> {
  return (await services.catalog.listServices()).filter((s) => s.enabled).sort((a, b) => a.id - b.id);
}
