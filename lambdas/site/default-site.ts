// The site content served until an admin edits it.
import type { SiteContent, SiteContentSource } from './ports.js';

export const DEFAULT_SITE: SiteContent = {
  support: { email: 'support@codex.example', telegram: '@codex_support', hours: 'Every day, 09:00-21:00 UTC' },
  faq: [
    {
      question: 'How do I pay in?',
      answer: 'Open Balance, choose an amount and a payment method, and pay on the page that opens. The balance is credited once the payment is confirmed.',
    },
    { question: 'When does my order start?', answer: 'Usually within minutes. The order list shows its status and how many units remain.' },
    {
      question: 'Can I cancel an order?',
      answer: 'Where the service allows it. The provider decides; whatever was not delivered is refunded to your balance.',
    },
    {
      question: 'What is a refill?',
      answer: 'For services with refill, if the count drops within the refill period after completion, ask for a refill from the order page.',
    },
    { question: 'Can I use the API?', answer: 'Yes: create an API key in the cabinet. It works with the SMM panel API v2 at /api/v2 and with this REST API.' },
  ],
};

export class StaticSiteContent implements SiteContentSource {
  constructor(private readonly content: SiteContent = DEFAULT_SITE) {}

  async get(): Promise<SiteContent> {
    return this.content;
  }
}
