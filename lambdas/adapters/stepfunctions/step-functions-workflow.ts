// The order workflow on AWS Step Functions. Executions are named after the order, so starting one twice is
// harmless; a failed execution is redriven, which re-runs only the failed step (every step is idempotent).
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  InvalidToken,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { OrderWorkflow } from '../../orders/ports.js';

export function executionNameFor(orderId: number): string {
  return `order-${orderId}`;
}

export class StepFunctionsOrderWorkflow implements OrderWorkflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async ensureStarted(orderId: number): Promise<void> {
    if (!this.stateMachineArn) throw new Error('No state machine to start: STATE_MACHINE_ARN is not set for this function');
    const name = executionNameFor(orderId);
    try {
      await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify({ orderId }) }));
      return;
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
    const executionArn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const execution = await this.client.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status === 'FAILED' || execution.status === 'TIMED_OUT' || execution.status === 'ABORTED') {
      await this.client.send(new RedriveExecutionCommand({ executionArn, clientToken: `${name}-${execution.redriveCount ?? 0}` }));
    }
  }

  async resume(taskToken: string, output: Record<string, unknown>): Promise<void> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (error) {
      if (error instanceof TaskTimedOut || error instanceof InvalidToken || error instanceof TaskDoesNotExist) return;
      throw error;
    }
  }
}
