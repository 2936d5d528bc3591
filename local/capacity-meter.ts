// Measures DynamoDB capacity for the benchmark: asks for ReturnConsumedCapacity on every call and adds the
// units up per Lambda function (the function being the one whose invocation made the call).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const currentFunction = new AsyncLocalStorage<string>();

export interface CapacityTotals {
  write: number;
  read: number;
  calls: number;
}

export class CapacityMeter {
  readonly byFunction = new Map<string, CapacityTotals>();
  /** Units spent on each global secondary index (already part of the totals above), by index name. */
  readonly byIndex = new Map<string, { write: number; read: number }>();

  attach(client: DynamoDBDocumentClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        input.ReturnConsumedCapacity = 'INDEXES';
        const reads = /^(Get|BatchGet|Query|Scan|TransactGet)/.test(String(context.commandName));
        const result = await next(args);
        const output = result.output as { ConsumedCapacity?: unknown };
        const consumed = Array.isArray(output.ConsumedCapacity) ? output.ConsumedCapacity : output.ConsumedCapacity ? [output.ConsumedCapacity] : [];
        const totals = this.totalsFor(currentFunction.getStore() ?? 'local-stack');
        totals.calls++;
        // CapacityUnits includes the index writes; a transaction's units are already doubled.
        for (const entry of consumed as { CapacityUnits?: number; GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }> }[]) {
          if (reads) totals.read += entry.CapacityUnits ?? 0;
          else totals.write += entry.CapacityUnits ?? 0;
          for (const [name, index] of Object.entries(entry.GlobalSecondaryIndexes ?? {})) {
            let units = this.byIndex.get(name);
            if (!units) this.byIndex.set(name, (units = { write: 0, read: 0 }));
            units[reads ? 'read' : 'write'] += index.CapacityUnits ?? 0;
          }
        }
        return result;
      },
      { step: 'initialize', name: 'codexCapacityMeter' },
    );
  }

  reset(): void {
    this.byFunction.clear();
    this.byIndex.clear();
  }

  private totalsFor(name: string): CapacityTotals {
    let totals = this.byFunction.get(name);
    if (!totals) this.byFunction.set(name, (totals = { write: 0, read: 0, calls: 0 }));
    return totals;
  }
}
