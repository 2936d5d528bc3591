// Resuming a parked order workflow (SendTaskSuccess), alone: a function that only resumes carries none of the
// start and redrive commands.
import { InvalidToken, SendTaskSuccessCommand, type SFNClient, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { OrderWorkflow } from '../../orders/ports.js';

/** Unknown, expired or already used tokens are not an error: the workflow has moved on. */
export async function sendTaskSuccess(client: SFNClient, taskToken: string, output: Record<string, unknown>): Promise<void> {
  try {
    await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  } catch (error) {
    if (error instanceof TaskTimedOut || error instanceof InvalidToken || error instanceof TaskDoesNotExist) return;
    throw error;
  }
}

export class StepFunctionsResume implements Pick<OrderWorkflow, 'resume'> {
  constructor(private readonly client: SFNClient) {}

  resume(taskToken: string, output: Record<string, unknown>): Promise<void> {
    return sendTaskSuccess(this.client, taskToken, output);
  }
}
