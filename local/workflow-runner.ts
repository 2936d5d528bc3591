// Runs the order workflow locally from the same ASL file as AWS, with aws-local-stepfunctions. Lambda tasks call
// the same handler modules; a `.waitForTaskToken` task waits until resume() is called with its token, as
// SendTaskSuccess does on AWS. Implements the same OrderWorkflow port as the Step Functions adapter.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { type FunctionName, WORKFLOW_DEFINITION_FILE, WORKFLOW_SUBSTITUTIONS } from '../lambdas/functions.js';
import type { OrderWorkflow } from '../lambdas/orders/ports.js';
import { executionNameFor } from '../lambdas/adapters/stepfunctions/step-functions-workflow.js';
import { lambdaContext, loadFunction } from './functions.js';

const MAX_LOCAL_TIMEOUT_SECONDS = 2_000_000;

export interface ExecutionRecord {
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** States entered, which is what Step Functions bills as state transitions. */
  transitions: number;
  output?: unknown;
  error?: string;
}

export interface LocalWorkflowOptions {
  root: string;
  /** How many workflow Lambda steps run at once, like a function's reserved concurrency on AWS. */
  concurrency?: number;
  /** Replaces every retry interval (ms), for fast tests; the definition's own backoff when absent. */
  retryDelayMs?: number;
  /** Replaces every Wait state's duration (ms), for fast tests. */
  waitDelayMs?: number;
  onExecutionEnd?: (record: ExecutionRecord) => void;
  /** Another definition than the repository's (relative to root): tests of executions started on an earlier one. */
  definitionFile?: string;
  /**
   * Wraps each Lambda step's invocation (the simulation crashes steps before or after their writes): call `invoke`
   * to run the handler; throw to fail the step as a crashed Lambda would (the state's Retry then applies).
   */
  wrapStep?: (name: FunctionName, invoke: () => Promise<unknown>, payload: unknown) => Promise<unknown>;
  /** true: this resume is lost (as a SendTaskSuccess that never arrived); the task keeps waiting for another. */
  dropResume?: (taskToken: string) => boolean;
}

/** Reads the definition and fills in `${...}` placeholders, as CloudFormation's DefinitionSubstitutions does. */
export function loadWorkflowDefinition(root: string, substitutions: Record<string, string>, file = WORKFLOW_DEFINITION_FILE): StateMachineDefinition {
  const text = readFileSync(resolve(root, file), 'utf8').replace(/\$\{(\w+)\}/g, (whole, name: string) => substitutions[name] ?? whole);
  return JSON.parse(text) as StateMachineDefinition;
}

export class LocalOrderWorkflow implements OrderWorkflow {
  readonly executions = new Map<string, ExecutionRecord>();
  private readonly aborts = new Map<string, () => void>();
  private readonly waiting = new Map<string, (output: unknown) => void>();
  private readonly machine: StateMachine;
  private readonly definition: StateMachineDefinition;
  private stopped = false;
  private activeSteps = 0;
  private readonly slots: Semaphore;

  constructor(private readonly options: LocalWorkflowOptions) {
    this.slots = new Semaphore(options.concurrency ?? 4);
    this.definition = loadWorkflowDefinition(
      options.root,
      Object.fromEntries(Object.keys(WORKFLOW_SUBSTITUTIONS).map((k) => [k, WORKFLOW_SUBSTITUTIONS[k]!])),
      options.definitionFile,
    );
    // JavaScript timers overflow past 2^31 ms (about 24.8 days) and then fire at once; the runner uses timers
    // for TimeoutSeconds, so longer timeouts are clamped locally. The file keeps its real value for AWS.
    for (const state of Object.values(this.definition.States)) {
      if (state.Type === 'Task' && state.TimeoutSeconds !== undefined) state.TimeoutSeconds = Math.min(state.TimeoutSeconds, MAX_LOCAL_TIMEOUT_SECONDS);
    }
    this.machine = new StateMachine(this.definition, { validationOptions: { checkArn: false } });
  }

  async ensureStarted(orderId: number): Promise<void> {
    const name = executionNameFor(orderId);
    const existing = this.executions.get(name);
    if (this.stopped || existing?.status === 'RUNNING' || existing?.status === 'SUCCEEDED') return;
    this.start(name, { orderId });
  }

  async resume(taskToken: string, output: Record<string, unknown>): Promise<void> {
    const resolveWaiting = this.waiting.get(taskToken);
    if (!resolveWaiting || this.options.dropResume?.(taskToken)) return;
    this.waiting.delete(taskToken);
    resolveWaiting(output);
  }

  /** Aborts every running execution, as a crash of the process would. */
  stop(): void {
    this.stopped = true;
    for (const abort of this.aborts.values()) abort();
    this.aborts.clear();
  }

  /** Aborts every execution and forgets them all (the simulation's next world starts with none). */
  reset(): void {
    for (const abort of this.aborts.values()) abort();
    this.aborts.clear();
    this.waiting.clear();
    this.executions.clear();
  }

  /** Lambda steps being invoked now (or waiting for a slot). */
  stepsInFlight(): number {
    return this.activeSteps;
  }

  runningCount(): number {
    return [...this.executions.values()].filter((e) => e.status === 'RUNNING').length;
  }

  private start(name: string, input: { orderId: number }): void {
    // As long as the tokens AWS hands out can be (1,024 characters until 2024; real ones run to several hundred),
    // so what stores the token weighs locally what it will on AWS.
    const token = `local:${name}:${randomBytes(768).toString('base64url')}`.slice(0, 1024);
    const record: ExecutionRecord = { name, status: 'RUNNING', transitions: 0 };
    this.executions.set(name, record);
    const handlers: Record<string, (input: unknown) => Promise<never>> = {};
    for (const [stateName, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      const waitsForToken = state.Resource.endsWith('.waitForTaskToken');
      handlers[stateName] = (async (params: { FunctionName: FunctionName; Payload: unknown }) => {
        const fn = await loadFunction(params.FunctionName, this.options.root);
        const run = () => fn(params.Payload, lambdaContext(params.FunctionName, randomUUID()));
        const wrapStep = this.options.wrapStep;
        const invoke = async () => {
          this.activeSteps++;
          try {
            return await this.slots.run(() => (wrapStep ? wrapStep(params.FunctionName, run, params.Payload) : run()));
          } finally {
            this.activeSteps--;
          }
        };
        if (!waitsForToken) return { Payload: await invoke() };
        const resumed = new Promise((resolveTask) => this.waiting.set(token, resolveTask));
        await invoke();
        return resumed;
      }) as never;
    }
    const retryIntervalOverrides =
      this.options.retryDelayMs === undefined
        ? undefined
        : Object.fromEntries(Object.keys(this.definition.States).map((stateName) => [stateName, this.options.retryDelayMs!]));
    const waitTimeOverrides =
      this.options.waitDelayMs === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(this.definition.States)
              .filter(([, state]) => state.Type === 'Wait')
              .map(([stateName]) => [stateName, this.options.waitDelayMs!]),
          );
    const execution = this.machine.run(input, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
        ...(waitTimeOverrides ? { waitTimeOverrides } : {}),
      },
      context: { Execution: { Name: name, Input: input }, Task: { Token: token } },
      noThrowOnAbort: true,
    });
    this.aborts.set(name, execution.abort);
    void (async () => {
      for await (const event of execution.eventLogs) if (event.type === 'StateEntered') record.transitions++;
    })().catch(() => undefined);
    execution.result
      .then(
        (output) => {
          record.status = output === null && this.stopped ? 'ABORTED' : 'SUCCEEDED';
          record.output = output;
        },
        (error: Error) => {
          record.status = 'FAILED';
          record.error = `${error.name}: ${error.message}`;
        },
      )
      .finally(() => {
        this.aborts.delete(name);
        this.waiting.delete(token);
        this.options.onExecutionEnd?.(record);
      });
  }
}

/** Runs at most `limit` tasks at a time; the rest wait in order. */
class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}
