import {
  DescribeExecutionCommand,
  type ExecutionStatus,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionLimitExceeded,
  InvalidOutput,
  InvalidToken,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionNameFor, StepFunctionsOrderWorkflow } from '../../../lambdas/adapters/stepfunctions/step-functions-workflow.js';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:codex';
const EXECUTION_ARN_42 = 'arn:aws:states:us-east-1:123456789012:execution:codex:order-42';

const alreadyExists = () => new ExecutionAlreadyExists({ message: 'Execution Already Exists: order-42', $metadata: {} });

describe('StepFunctionsOrderWorkflow', () => {
  let client: SFNClient;
  let sfn: AwsClientStub<SFNClient>;
  let workflow: StepFunctionsOrderWorkflow;

  beforeEach(() => {
    client = new SFNClient({ region: 'us-east-1' });
    sfn = mockClient(client);
    workflow = new StepFunctionsOrderWorkflow(client, STATE_MACHINE_ARN);
  });

  describe('ensureStarted', () => {
    it('in a function without STATE_MACHINE_ARN, refuses to start but still resumes parked workflows', async () => {
      const resumeOnly = new StepFunctionsOrderWorkflow(client, '');
      await expect(resumeOnly.ensureStarted(42)).rejects.toThrow('STATE_MACHINE_ARN is not set');
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
      sfn.on(SendTaskSuccessCommand).resolves({});
      await resumeOnly.resume('token-abc', { orderId: 42 });
      expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    });

    it('names executions after the order', () => {
      expect(executionNameFor(42)).toBe('order-42');
    });

    it('starts an execution named order-<id> on the state machine with input {"orderId": id}', async () => {
      sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION_ARN_42, startDate: new Date() });

      await workflow.ensureStarted(42);

      const starts = sfn.commandCalls(StartExecutionCommand);
      expect(starts).toHaveLength(1);
      const input = starts[0]!.args[0].input;
      expect(input.stateMachineArn).toBe(STATE_MACHINE_ARN);
      expect(input.name).toBe('order-42');
      expect(JSON.parse(input.input!)).toEqual({ orderId: 42 });
      expect(sfn.calls()).toHaveLength(1);
    });

    it.each<ExecutionStatus>(['RUNNING', 'SUCCEEDED'])('does nothing more when the execution already exists and is %s', async (status) => {
      sfn.on(StartExecutionCommand).rejects(alreadyExists());
      sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION_ARN_42, status, stateMachineArn: STATE_MACHINE_ARN, startDate: new Date() });

      await workflow.ensureStarted(42);

      const describes = sfn.commandCalls(DescribeExecutionCommand);
      expect(describes).toHaveLength(1);
      expect(describes[0]!.args[0].input).toEqual({ executionArn: EXECUTION_ARN_42 });
      expect(sfn.commandCalls(RedriveExecutionCommand)).toHaveLength(0);
    });

    it.each<ExecutionStatus>(['FAILED', 'TIMED_OUT', 'ABORTED'])(
      'redrives the existing execution, derived from the state machine ARN, when it is %s',
      async (status) => {
        sfn.on(StartExecutionCommand).rejects(alreadyExists());
        sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION_ARN_42, status, stateMachineArn: STATE_MACHINE_ARN, startDate: new Date() });
        sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date() });

        await workflow.ensureStarted(42);

        expect(sfn.commandCalls(DescribeExecutionCommand)[0]!.args[0].input.executionArn).toBe(EXECUTION_ARN_42);
        const redrives = sfn.commandCalls(RedriveExecutionCommand);
        expect(redrives).toHaveLength(1);
        expect(redrives[0]!.args[0].input.executionArn).toBe(EXECUTION_ARN_42);
      },
    );

    it('gives each redrive a client token that changes with the redrive count, so a later failure can be redriven again', async () => {
      sfn.on(StartExecutionCommand).rejects(alreadyExists());
      sfn
        .on(DescribeExecutionCommand)
        .resolvesOnce({ executionArn: EXECUTION_ARN_42, status: 'FAILED', stateMachineArn: STATE_MACHINE_ARN, startDate: new Date() })
        .resolvesOnce({ executionArn: EXECUTION_ARN_42, status: 'FAILED', redriveCount: 1, stateMachineArn: STATE_MACHINE_ARN, startDate: new Date() });
      sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date() });

      await workflow.ensureStarted(42);
      await workflow.ensureStarted(42);

      const tokens = sfn.commandCalls(RedriveExecutionCommand).map((call) => call.args[0].input.clientToken);
      expect(tokens).toHaveLength(2);
      expect(tokens[0]).toBeTruthy();
      expect(tokens[1]).toBeTruthy();
      expect(tokens[0]).not.toBe(tokens[1]);
    });

    it('rethrows other StartExecution errors without describing or redriving', async () => {
      sfn.on(StartExecutionCommand).rejects(new ExecutionLimitExceeded({ message: 'too many executions', $metadata: {} }));

      await expect(workflow.ensureStarted(42)).rejects.toBeInstanceOf(ExecutionLimitExceeded);

      expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
      expect(sfn.commandCalls(RedriveExecutionCommand)).toHaveLength(0);
    });

    it('propagates a failure to describe the existing execution', async () => {
      sfn.on(StartExecutionCommand).rejects(alreadyExists());
      sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'x', $metadata: {} }));

      await expect(workflow.ensureStarted(42)).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    });
  });

  describe('resume', () => {
    it('sends SendTaskSuccess with the task token and the output as JSON', async () => {
      sfn.on(SendTaskSuccessCommand).resolves({});

      await workflow.resume('token-abc', { outcome: 'submitted', externalOrderId: '23501' });

      const sends = sfn.commandCalls(SendTaskSuccessCommand);
      expect(sends).toHaveLength(1);
      expect(sends[0]!.args[0].input.taskToken).toBe('token-abc');
      expect(JSON.parse(sends[0]!.args[0].input.output!)).toEqual({ outcome: 'submitted', externalOrderId: '23501' });
    });

    it.each([
      ['TaskTimedOut', () => new TaskTimedOut({ message: 'x', $metadata: {} })],
      ['InvalidToken', () => new InvalidToken({ message: 'x', $metadata: {} })],
      ['TaskDoesNotExist', () => new TaskDoesNotExist({ message: 'x', $metadata: {} })],
    ])('swallows %s, since the task is gone and nothing waits for it', async (_name, make) => {
      sfn.on(SendTaskSuccessCommand).rejects(make());

      await expect(workflow.resume('token-abc', {})).resolves.toBeUndefined();
      expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    });

    it('rethrows other Step Functions errors such as InvalidOutput', async () => {
      const invalid = new InvalidOutput({ message: 'output too large', $metadata: {} });
      sfn.on(SendTaskSuccessCommand).rejects(invalid);

      await expect(workflow.resume('token-abc', {})).rejects.toBe(invalid);
    });

    it('rethrows a plain Error', async () => {
      sfn.on(SendTaskSuccessCommand).rejects(new Error('socket hang up'));

      await expect(workflow.resume('token-abc', {})).rejects.toThrow('socket hang up');
    });
  });
});
