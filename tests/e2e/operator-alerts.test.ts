// Operator alerts on the local stack: a provider that stops answering while an order is open is judged unhealthy by
// the poller, provider.unhealthy goes on the bus once, and alertOperators leaves an email to operators@codex.local in
// the outbox, with nothing of the provider's key in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_OPERATORS_EMAIL } from '../../local/operator-alerts.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, pollEveryMs: 300, sweepEveryMs: 500 });
});

afterAll(async () => {
  await stack?.stop();
});

const v2 = async (fields: Record<string, string>) =>
  (await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams({ key: stack.reseller.apiKey, ...fields }) })).json() as Promise<Record<string, any>>;

describe('operator alerts on the local stack', () => {
  it("tells operators@codex.local once of an order open past its service's expected time, through the table's stream", async () => {
    // A service expected to be done at once: any open order of it is overdue at the sweeper's next pass.
    const service = (await stack.deps.catalog.getService(2))!;
    await stack.deps.catalog.putService({ ...service, expectedMinutes: 0 });
    const placed = await v2({ action: 'add', service: '2', link: 'https://instagram.com/overdue?codex-test=slow', quantity: '100' });
    const orderId = Number(placed.order);

    const mail = await eventually(
      async () => stack.outbox.list(LOCAL_OPERATORS_EMAIL).find((m) => m.subject.includes(`Order ${orderId} needs attention`)),
      30_000,
    );
    expect(mail.subject).toBe(`[codex local] Order ${orderId} needs attention: overdue`);
    expect(mail.text).toContain("open past its service's expected time");
    const marked = await stack.deps.orders.getOrder(orderId);
    expect(Object.keys(marked!.attention ?? {})).toEqual(['overdue']);

    // Later sweeps leave the marked order alone: one event, one email.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await stack.queues.drained();
    expect(stack.events.events.filter((e) => e.type === 'order.needs_attention')).toHaveLength(1);
    expect(stack.outbox.list(LOCAL_OPERATORS_EMAIL).filter((m) => m.subject.includes(`Order ${orderId}`))).toHaveLength(1);
    await stack.deps.catalog.putService(service);
  });

  it('tells operators@codex.local once when the provider stops answering the status calls of an open order', async () => {
    // A slow order stays open for minutes, so the poller keeps asking about it.
    const placed = await v2({ action: 'add', service: '1', link: 'https://youtube.com/watch?v=alerts&codex-test=slow', quantity: '100' });
    const orderId = Number(placed.order);
    await eventually(async () => ((await stack.deps.orders.getOrder(orderId))?.phase === 'submitted' ? true : undefined), 60_000);

    await stack.provider.close();
    const unhealthy = await eventually(async () => stack.events.events.find((e) => e.type === 'provider.unhealthy'), 60_000);
    const providerId = (unhealthy as { data: { providerId: string } }).data.providerId;

    const mail = await eventually(async () => {
      const response = await fetch(`${stack.outboxUrl}?to=${encodeURIComponent(LOCAL_OPERATORS_EMAIL)}`);
      const messages = (await response.json()) as { subject: string; text: string }[];
      return messages.find((m) => m.subject.includes(`Provider ${providerId} is failing`));
    }, 30_000);
    expect(mail.subject).toBe(`[codex local] Provider ${providerId} is failing`);
    expect(mail.text).toMatch(/status calls failed in the last 10 minutes: .*\d+ could not connect/);
    expect(mail.text).toContain('docs/operations.md');
    expect(mail.text).not.toContain('demo-provider-key');

    // A few more failing runs (one every 300 ms) judge the same spell: still one event, one email.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await stack.queues.drained();
    expect(stack.events.events.filter((e) => e.type === 'provider.unhealthy')).toHaveLength(1);
    expect(stack.outbox.list(LOCAL_OPERATORS_EMAIL).filter((m) => m.subject.includes('is failing'))).toHaveLength(1);
  });
});
