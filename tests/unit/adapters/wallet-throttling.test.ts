// A money movement that DynamoDB throttles (a transaction canceled for capacity, or a throttling error still standing
// after the SDK's own retries) is tried again with backoff, and answers the documented busy error once its time
// budget is spent: never the raw exception. The DynamoDB client is mocked.
import { DynamoDBClient, ThrottlingException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../../lambdas/adapters/dynamodb/keys.js';
import { takeLease } from '../../../lambdas/adapters/dynamodb/balance-lease.js';
import { moveMoney } from '../../../lambdas/adapters/dynamodb/wallet-transaction.js';
import { micros } from '../../../lambdas/shared/money.js';

const TABLE = 'codex';

function wallet() {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const mock = mockClient(db);
  mock.on(GetCommand).resolves({ Item: { ...keys.wallet('w1'), balance: 10_000_000, seq: 7 } });
  return { db, mock };
}

const charge = (db: DynamoDBDocumentClient, reference = 'order:1') =>
  moveMoney(db, TABLE, {
    walletId: 'w1',
    amount: micros(-900_000),
    kind: 'order_charge',
    reference,
    at: '2026-12-01T22:00:00.000Z',
    companions: [{ Put: { TableName: TABLE, Item: { pk: 'ORDERS#0', sk: 'ORDER#1' }, ConditionExpression: 'attribute_not_exists(pk)' } }],
  });

/** What DynamoDB answers when a transaction's wallet update was throttled: nothing written. */
const canceledFor = (code: 'ThrottlingError' | 'ProvisionedThroughputExceeded') =>
  new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
    $metadata: {},
    CancellationReasons: [{ Code: 'None' }, { Code: code }, { Code: 'None' }],
  });

const throttled = () => new ThrottlingException({ message: 'Throughput exceeds the current capacity for one or more global secondary indexes', $metadata: {} });

afterEach(() => {
  vi.useRealTimers();
});

describe('a wallet movement that DynamoDB throttles', () => {
  it('charges the order once the throttling passes, on the same balance and ledger number', async () => {
    const { db, mock } = wallet();
    mock
      .on(TransactWriteCommand)
      .rejectsOnce(canceledFor('ThrottlingError'))
      .rejectsOnce(canceledFor('ProvisionedThroughputExceeded'))
      .rejectsOnce(throttled())
      .resolves({});
    await expect(charge(db)).resolves.toBe('applied');
    const attempts = mock.commandCalls(TransactWriteCommand);
    expect(attempts).toHaveLength(4);
    const written = attempts.at(-1)!.args[0].input.TransactItems!;
    // Added to the balance, covered by it, on the sequence read: a lease taken meanwhile would cancel it, not be lost.
    const update = written.find((item) => item.Update)?.Update;
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':delta': -900_000, ':needed': 900_000, ':seq': 7, ':next': 8 });
    expect(update?.UpdateExpression).toContain('ADD balance :delta');
    expect(update?.ConditionExpression).toBe('seq = :seq AND balance >= :needed');
    expect(written.find((item) => item.Put?.Item?.entity === 'ledger')?.Put?.Item).toMatchObject({ seq: 8, amount: -900_000, balanceAfter: 9_100_000 });
  });

  it('reads the balance again when the read itself stays throttled through the SDK retries', async () => {
    const { db, mock } = wallet();
    mock
      .on(GetCommand)
      .rejectsOnce(throttled())
      .resolves({ Item: { ...keys.wallet('w1'), balance: 10_000_000, seq: 7 } });
    mock.on(TransactWriteCommand).resolves({});
    await expect(charge(db)).resolves.toBe('applied');
    expect(mock.commandCalls(GetCommand)).toHaveLength(2);
  });

  it('answers wallet_busy, not the raw throttling error, when the throttling outlasts the time budget', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    const { db, mock } = wallet();
    mock.on(TransactWriteCommand).rejects(canceledFor('ThrottlingError'));
    const outcome = charge(db).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(await outcome).toMatchObject({ name: 'DomainError', code: 'wallet_busy' });
    // Backed off rather than hammering the partition: a few dozen tries in the 10 s budget, not hundreds.
    const tries = mock.commandCalls(TransactWriteCommand).length;
    expect(tries).toBeGreaterThan(3);
    expect(tries).toBeLessThan(100);
  });

  it('answers wallet_busy when the SDK keeps raising ThrottlingException', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    const { db, mock } = wallet();
    mock.on(TransactWriteCommand).rejects(throttled());
    const outcome = charge(db).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(await outcome).toMatchObject({ code: 'wallet_busy' });
  });

  it('still finds a repeat when a throttled try is followed by one that meets its own earlier write', async () => {
    const { db, mock } = wallet();
    mock
      .on(TransactWriteCommand)
      .rejectsOnce(canceledFor('ThrottlingError'))
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
        }),
      );
    await expect(charge(db)).resolves.toBe('already_applied');
  });
});

describe('taking a balance lease', () => {
  const take = (db: DynamoDBDocumentClient) => takeLease(db, TABLE, { walletId: 'w1', amount: micros(9_000_000), at: '2026-12-01T22:00:00.000Z' });
  const conflict = () =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }],
    });

  it('reads nothing and moves the amount from the balance to held, conditioned on the balance alone', async () => {
    const { db, mock } = wallet();
    mock.on(TransactWriteCommand).resolves({});
    const lease = await take(db);
    expect(lease).toMatchObject({ walletId: 'w1', amount: 9_000_000, remaining: 9_000_000, charges: 0 });
    expect(mock.commandCalls(GetCommand)).toHaveLength(0);
    const update = mock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Update!;
    expect(update.ConditionExpression).toBe('balance >= :amount');
    expect(update.UpdateExpression).not.toContain('seq');
    expect(update.ExpressionAttributeValues).toMatchObject({ ':taken': -9_000_000, ':amount': 9_000_000 });
  });

  it('tries again after a pause when another transaction holds the wallet, and answers insufficient funds when the balance is short', async () => {
    const { db, mock } = wallet();
    mock.on(TransactWriteCommand).rejectsOnce(conflict()).rejectsOnce(canceledFor('ThrottlingError')).resolves({});
    await expect(take(db)).resolves.toMatchObject({ amount: 9_000_000 });
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
      }),
    );
    await expect(take(db)).rejects.toMatchObject({ code: 'insufficient_funds' });
  });

  it('answers wallet_busy, not the raw cancellation, when conflicts outlast its time budget', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const { db, mock } = wallet();
    mock.on(TransactWriteCommand).rejects(conflict());
    const outcome = take(db).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(await outcome).toMatchObject({ name: 'DomainError', code: 'wallet_busy' });
    const tries = mock.commandCalls(TransactWriteCommand).length;
    expect(tries).toBeGreaterThan(3);
    expect(tries).toBeLessThan(200);
  });
});
