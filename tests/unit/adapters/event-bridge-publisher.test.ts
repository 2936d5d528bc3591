import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CATALOGUE_SOURCE, EventBridgePublisher } from '../../../lambdas/adapters/eventbridge/event-bridge-publisher.js';
import type { CatalogueEvent } from '../../../lambdas/events/catalogue.js';

const BUS = 'codex-bus';

function finalized(n: number): CatalogueEvent {
  return {
    id: `evt_${n}`,
    type: 'deposit.credited',
    version: 1,
    at: `2025-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
    data: { ownerId: 'owner-1', walletId: 'w-1', topUpId: `t-${n}`, amount: '1.00000', currency: 'USD', method: 'demo' },
  };
}

describe('EventBridgePublisher', () => {
  let client: EventBridgeClient;
  let eb: AwsClientStub<EventBridgeClient>;
  let publisher: EventBridgePublisher;

  beforeEach(() => {
    client = new EventBridgeClient({ region: 'us-east-1' });
    eb = mockClient(client);
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    publisher = new EventBridgePublisher(client, BUS);
  });

  it('puts a catalogue event with Source codex and its type as DetailType, the whole envelope as Detail', async () => {
    const event: CatalogueEvent = {
      id: 'evt_1',
      type: 'deposit.credited',
      version: 1,
      at: '2026-12-01T10:00:00.000Z',
      data: { ownerId: 'u-1', walletId: 'w-1', topUpId: 't-1', amount: '7.00000', currency: 'USD', method: 'demo' },
    };
    await publisher.publish([event]);
    const entry = eb.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(CATALOGUE_SOURCE).toBe('codex');
    expect(entry).toMatchObject({ Source: 'codex', DetailType: 'deposit.credited', EventBusName: BUS, Time: new Date(event.at) });
    expect(JSON.parse(entry.Detail!)).toEqual(event);
  });

  it('sends at most 10 entries per PutEvents call, keeping every event once and in order', async () => {
    const events = Array.from({ length: 23 }, (_, i) => finalized(i + 1));

    await publisher.publish(events);

    const calls = eb.commandCalls(PutEventsCommand);
    expect(calls.map((call) => call.args[0].input.Entries!.length)).toEqual([10, 10, 3]);
    const sentIds = calls.flatMap((call) => call.args[0].input.Entries!.map((entry) => JSON.parse(entry.Detail!).id));
    expect(sentIds).toEqual(events.map((event) => event.id));
    for (const call of calls) for (const entry of call.args[0].input.Entries!) expect(entry.EventBusName).toBe(BUS);
  });

  it('sends exactly 10 events in a single call', async () => {
    await publisher.publish(Array.from({ length: 10 }, (_, i) => finalized(i + 1)));
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('makes no call for an empty list', async () => {
    await publisher.publish([]);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('throws when EventBridge reports failed entries', async () => {
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'e1' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'x' }],
    });

    await expect(publisher.publish([finalized(1), finalized(2)])).rejects.toThrow(/refused 1 of 2/);
  });

  it('stops at the first batch with failed entries instead of reporting success', async () => {
    eb.on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [] })
      .resolvesOnce({ FailedEntryCount: 2, Entries: [] })
      .resolves({ FailedEntryCount: 0, Entries: [] });

    await expect(publisher.publish(Array.from({ length: 25 }, (_, i) => finalized(i + 1)))).rejects.toThrow(/refused 2 of 10/);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('propagates an error from PutEvents itself', async () => {
    eb.on(PutEventsCommand).rejects(new Error('AccessDenied'));
    await expect(publisher.publish([finalized(1)])).rejects.toThrow('AccessDenied');
  });
});
