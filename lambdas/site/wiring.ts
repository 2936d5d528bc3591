// The site area's source of content, built on first use.
import { lazy } from '../shared/platform.js';
import { StaticSiteContent } from './default-site.js';
import type { SiteContentSource } from './ports.js';

export const siteContent: () => SiteContentSource = /* @__PURE__ */ lazy(() => new StaticSiteContent());
