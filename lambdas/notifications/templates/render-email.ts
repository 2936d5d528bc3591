// Renders a notification email from its view with eta: HTML templates escape every value printed (a link or a key
// label is the customer's input), text templates print values as they are. eta/core reads no files.
import { Eta } from 'eta/core';
import type { EmailView } from '../domain/email-notifications.js';
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

export function renderEmail(view: EmailView): RenderedEmail {
  const { text, html } = load();
  // One line: a label or reason never reaches a subject, but a line break there would be a header injection.
  const subject = text
    .render(`@subject:${view.type}`, view)
    .replace(/[\r\n]+/g, ' ')
    .trim();
  const data = { ...view, subject };
  return { subject, text: text.render(`@text:${view.type}`, data), html: html.render(`@html:${view.type}`, data) };
}
