// The local stand-in for the bus's rules and the consumers' SQS queues: each catalogue event published on the local
// bus goes, as an EventBridge event, to the queue of every subscription that lists its type (SUBSCRIPTIONS in
// lambdas/functions.ts, the list CDK builds the rules and queues from). Each queue hands batches to its consumer's
// handler in the Lambda SQS event shape, deletes what succeeded, hides what failed for the visibility timeout (or the
// delay a consumer asked for, MessageQueue.postpone), and moves a message received more than maxReceiveCount times
// to its dead-letter queue. Queues live in memory: messages waiting in them do not survive a stop of the stack.
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { SubscriptionSpec } from '../lambdas/functions.js';
import type { MessageQueue, PublishedEvent, ReceivedMessage } from '../lambdas/shared/ports.js';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

export interface LocalQueueMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

export interface DeadLetter {
  consumer: string;
  message: LocalQueueMessage;
  at: string;
}

type Invoke = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface LocalEventQueuesOptions {
  subscriptions: readonly SubscriptionSpec[];
  /** The consumer's handler (the same module Lambda runs). */
  consumer: (name: string) => Promise<Invoke>;
  /** Told of each message moved to a dead-letter queue (the local stack alerts the operators through the outbox). */
  onDeadLetter?: (letter: DeadLetter) => void;
  /** How often each queue looks for visible messages. */
  pollMs?: number;
  /** Batches of one queue handled at once (Lambda's SQS event source starts with 5). */
  concurrency?: number;
  now?: () => number;
  /** false: no polling timer; messages are handed over on route() and by deliverDue() (the simulation's ticks). */
  autoPump?: boolean;
}

interface Queue {
  spec: SubscriptionSpec;
  arn: string;
  messages: LocalQueueMessage[];
  /** Batches being handled now. */
  inFlight: number;
}

/** What SQS would bill per queue: messages sent (by the bus), receives and delete batches (by the event source mapping). */
export interface QueueRequests {
  sent: number;
  receives: number;
  deletes: number;
  postpones: number;
}

export class LocalEventQueues implements MessageQueue {
  readonly deadLetters: DeadLetter[] = [];
  readonly requests = new Map<string, QueueRequests>();
  private readonly queues = new Map<string, Queue>();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly concurrency: number;

  constructor(private readonly options: LocalEventQueuesOptions) {
    // Read at each call, not captured: a clock installed later (the simulation's virtual one) is the one used.
    this.now = options.now ?? (() => Date.now());
    this.concurrency = options.concurrency ?? 5;
    for (const spec of options.subscriptions) {
      this.queues.set(spec.function, { spec, arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${spec.function}`, messages: [], inFlight: 0 });
    }
    if (options.autoPump !== false) {
      this.timer = setInterval(() => this.pump(), options.pollMs ?? 50);
      this.timer.unref();
    }
  }

  /** The bus's rules: a catalogue event (source `codex`) goes to each queue subscribed to its type. */
  route(event: PublishedEvent): void {
    for (const queue of this.queues.values()) {
      if (!queue.spec.eventTypes.includes(event.type)) continue;
      // The body of an EventBridge rule's SQS target: the whole EventBridge event, its detail the catalogue event.
      const body = JSON.stringify({
        version: '0',
        id: randomUUID(),
        'detail-type': event.type,
        source: 'codex',
        account: ACCOUNT,
        time: event.at,
        region: REGION,
        resources: [],
        detail: event,
      });
      queue.messages.push({ messageId: randomUUID(), body, receiveCount: 0, visibleAt: this.now() });
      this.count(queue.spec.function).sent++;
    }
    this.pump();
  }

  async postpone(message: ReceivedMessage, delaySeconds: number): Promise<void> {
    const queue = [...this.queues.values()].find((q) => q.arn === message.queueArn);
    const held = queue?.messages.find((m) => m.receiptHandle === message.receiptHandle);
    if (!held) throw new Error('ReceiptHandleIsInvalid: the message is no longer held by this receiver');
    this.count(queue!.spec.function).postpones++;
    held.visibleAt = this.now() + delaySeconds * 1000;
  }

  /** Messages waiting (visible or not) per consumer. */
  depth(consumer: string): number {
    return this.queues.get(consumer)?.messages.length ?? 0;
  }

  /** Resolves once every queue is empty and no batch is running (or after `timeoutMs`). For tests and the bench. */
  async drained(timeoutMs = 10_000): Promise<boolean> {
    const deadline = this.now() + timeoutMs;
    while (this.now() < deadline) {
      if (this.running.size === 0 && [...this.queues.values()].every((q) => q.messages.length === 0)) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  /**
   * Hands every visible message to its consumer, and again for what those batches published or failed, until no
   * batch runs and none is visible (messages hidden until later stay). Resolves to the batches started.
   */
  async deliverDue(): Promise<number> {
    let started = 0;
    for (;;) {
      const before = this.running.size;
      this.pump();
      started += Math.max(0, this.running.size - before);
      if (this.running.size === 0) return started;
      await Promise.allSettled([...this.running]);
    }
  }

  /** Empties every queue and forgets the dead letters (the simulation's next world starts with none). */
  reset(): void {
    for (const queue of this.queues.values()) queue.messages.length = 0;
    this.deadLetters.length = 0;
  }

  /** When the next hidden message becomes visible (epoch ms), or undefined when no queue holds one. */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const queue of this.queues.values()) for (const message of queue.messages) next = Math.min(next ?? message.visibleAt, message.visibleAt);
    return next;
  }

  /** Messages waiting, visible or hidden, in every queue. */
  pending(): number {
    return [...this.queues.values()].reduce((sum, queue) => sum + queue.messages.length, 0);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    for (const queue of this.queues.values()) {
      // As Lambda's SQS event source, which starts with five pollers, each handing its batch to its own instance.
      while (queue.inFlight < this.concurrency) {
        const now = this.now();
        const batch: LocalQueueMessage[] = [];
        for (const message of queue.messages) {
          if (batch.length >= queue.spec.batchSize) break;
          if (message.visibleAt <= now) batch.push(message);
        }
        if (batch.length === 0) break;
        queue.inFlight++;
        // deliver hides the batch before its first await, so the next round of this loop picks other messages.
        const run = this.deliver(queue, batch).finally(() => {
          queue.inFlight--;
          this.running.delete(run);
        });
        this.running.add(run);
      }
    }
  }

  private async deliver(queue: Queue, candidates: LocalQueueMessage[]): Promise<void> {
    const now = this.now();
    const batch: LocalQueueMessage[] = [];
    for (const message of candidates) {
      // As SQS's redrive policy: a message received maxReceiveCount times goes to the dead-letter queue instead of a further receive.
      if (message.receiveCount >= queue.spec.maxReceiveCount) {
        this.remove(queue, message);
        const letter = { consumer: queue.spec.function, message, at: new Date(now).toISOString() };
        this.deadLetters.push(letter);
        this.options.onDeadLetter?.(letter);
        continue;
      }
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + queue.spec.visibilityTimeoutSeconds * 1000;
      message.receiptHandle = randomUUID();
      batch.push(message);
    }
    if (batch.length === 0) return;
    this.count(queue.spec.function).receives++;
    const records: SQSRecord[] = batch.map((message) => ({
      messageId: message.messageId,
      receiptHandle: message.receiptHandle!,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.firstReceivedAt),
        SenderId: ACCOUNT,
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: REGION,
    }));
    let failed: Set<string>;
    try {
      const invoke = await this.options.consumer(queue.spec.function);
      const response = await invoke({ Records: records });
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      // A function error fails the whole batch: every message comes back after its visibility timeout.
      console.error(`local queue ${queue.spec.function}: the consumer failed:`, (error as Error).message);
      return;
    }
    const succeeded = batch.filter((message) => !failed.has(message.messageId));
    for (const message of succeeded) this.remove(queue, message);
    if (succeeded.length > 0) this.count(queue.spec.function).deletes++;
  }

  private count(consumer: string): QueueRequests {
    let requests = this.requests.get(consumer);
    if (!requests) this.requests.set(consumer, (requests = { sent: 0, receives: 0, deletes: 0, postpones: 0 }));
    return requests;
  }

  private remove(queue: Queue, message: LocalQueueMessage): void {
    const index = queue.messages.indexOf(message);
    if (index >= 0) queue.messages.splice(index, 1);
  }
}
