// An in-memory DynamoDB for the simulation and the fuzzer: a smithy HttpHandler that answers DynamoDB's JSON protocol
// in process, so every adapter runs unchanged on the real SDK. Conformance with DynamoDB Local:
// tests/integration/dynamodb-engine-conformance.test.ts.
import type { DynamoDBRecord } from 'aws-lambda';

export type FaultKind = 'throttle' | 'conflict';
export type FaultDecider = (op: { operation: string; table: string; itemCount: number }) => FaultKind | undefined;

export class MemoryDynamo {
  /** A smithy HttpHandler speaking DynamoDB's JSON protocol (X-Amz-Target DynamoDB_20120810.*), for DynamoDBClient. */
  readonly requestHandler = {
    handle: async (_request: unknown): Promise<{ response: unknown }> => {
      throw new Error('MemoryDynamo: not implemented yet');
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  #version = 0;

  /** Increments on every committed write (Put/Update/Delete/transaction); equal before/after = nothing written. */
  get version(): number {
    return this.#version;
  }

  /** Every item of a table, unmarshalled (plain JS values), in key order. */
  items(_table: string): Record<string, unknown>[] {
    return [];
  }

  /** Drops all tables and stream records (a fresh world for the next seed). */
  reset(): void {}

  /** Stream records (NEW_AND_OLD_IMAGES, Lambda's DynamoDBStreamEvent record shape) not yet taken, oldest first. */
  takeStreamRecords(_max: number): DynamoDBRecord[] {
    return [];
  }

  /** Called before each operation; return an error kind to make it fail as DynamoDB would, or undefined. */
  injectFaults(_decide: FaultDecider | undefined): void {}
}
