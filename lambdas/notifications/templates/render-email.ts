// Renders a notification email from its view with eta: HTML templates escape every value printed (a link or a key
// label is the customer's input), text templates print values as they are. eta/core reads no files.
import { Eta } from 'eta/core';
import type { EmailView } from '../domain/email-notifications.js';
import type { TemplateOverride } from '../../settings/domain/settings.js';
import { HTML_PARTIALS, HTML_TEMPLATES, SUBJECTS, TEXT_PARTIALS, TEXT_TEMPLATES } from './email-templates.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface Engines {
  text: Eta;
  html: Eta;
}

let engines: Engines | undefined;

/** Both engines with every template compiled, once per container. */
function load(): Engines {
  if (engines) return engines;
  const text = new Eta({ autoEscape: false, autoTrim: false, cache: true });
  const html = new Eta({ autoEscape: true, autoTrim: false, cache: true });
  for (const [name, template] of Object.entries(TEXT_PARTIALS)) text.loadTemplate(name, template);
  for (const [name, template] of Object.entries(HTML_PARTIALS)) html.loadTemplate(name, template);
  for (const [type, template] of Object.entries(SUBJECTS)) text.loadTemplate(`@subject:${type}`, template);
  for (const [type, template] of Object.entries(TEXT_TEMPLATES)) text.loadTemplate(`@text:${type}`, template);
  for (const [type, template] of Object.entries(HTML_TEMPLATES)) html.loadTemplate(`@html:${type}`, template);
  engines = { text, html };
  return engines;
}

/** The HTML part of an email whose text an admin rewrote: that text, escaped, in the usual layout. */
const HTML_OF_TEXT = `<% layout('@layout', { footer: '' }) -%>
<p style="white-space:pre-wrap;"><%= it.overrideText %></p>`;

/**
 * Renders the email; `override` (settings.templates, checked when saved: template-overrides.ts) replaces the built-in
 * subject and/or text, and a replaced text makes the HTML part too.
 */
export function renderEmail(view: EmailView, override: TemplateOverride = {}): RenderedEmail {
  const { text, html } = load();
  // One line: a label or reason never reaches a subject, but a line break there would be a header injection.
  const subject = (override.subject !== undefined ? text.renderString(override.subject, view) : text.render(`@subject:${view.type}`, view))
    .replace(/[\r\n]+/g, ' ')
    .trim();
  const data = { ...view, subject };
  if (override.text === undefined) return { subject, text: text.render(`@text:${view.type}`, data), html: html.render(`@html:${view.type}`, data) };
  const body = text.renderString(override.text, data);
  return { subject, text: body, html: html.renderString(HTML_OF_TEXT, { ...data, overrideText: body }) };
}
