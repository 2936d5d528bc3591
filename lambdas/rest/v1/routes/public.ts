// REST v1 implementations: the public catalog and site content, cacheable by browsers and CDNs.
import { createHash } from 'node:crypto';
import { listOrderableServices } from '../../../catalog/application/list-services.js';
import { catalogStore } from '../../../catalog/wiring.js';
import { formatMoney } from '../../../shared/money.js';
import { siteContent } from '../../../site/wiring.js';
import { getSite, listServices } from '../contract/public.js';
import { type Reply, type RouteImpl, route } from '../http.js';

export const publicRoutes: readonly RouteImpl[] = [
  route(listServices, async (req) => {
    const services = await listOrderableServices({ catalog: catalogStore() });
    const items = services.map((s) => ({
      id: s.id,
      name: s.name,
      category: s.category,
      type: s.type,
      rate: formatMoney(s.ratePer1000, 2),
      min: s.min,
      max: s.max,
      ...(s.description ? { description: s.description } : {}),
      refill: s.refill,
      cancel: s.cancel,
      dripFeed: s.dripfeed,
    }));
    return cacheable({ items, nextCursor: null }, req.headers['if-none-match']);
  }),
  route(getSite, async (req) => cacheable(await siteContent().get(), req.headers['if-none-match'])),
];

/** 200 with an ETag of the body, or 304 when the client already holds that body. */
function cacheable(body: unknown, ifNoneMatch: string | undefined): Reply {
  const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
  const headers = { etag, 'cache-control': 'public, max-age=60' };
  const held = (ifNoneMatch ?? '').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (held.includes(etag) || held.includes('*')) return { status: 304, headers };
  return { status: 200, body, headers };
}
