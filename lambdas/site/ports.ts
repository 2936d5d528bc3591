// What the public site shows besides the catalog: support contacts and the FAQ. Static for now (default-site.ts);
// the admin API can put an editable store behind the same port.
export interface SiteContent {
  support: { email?: string; telegram?: string; hours?: string };
  faq: { question: string; answer: string }[];
}

export interface SiteContentSource {
  get(): Promise<SiteContent>;
}
