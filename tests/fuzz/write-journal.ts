// Every committed write of the functions' DynamoDB client, with the function whose invocation made it: what lets the
// fuzzer tell a refused request's own writes from the background's (stream readers, queue consumers, workflow steps).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { currentFunction } from '../../local/capacity-meter.js';

export interface JournalEntry {
  /** The function whose invocation wrote (local/functions.ts names it), or `local-stack` outside any. */
  fn: string;
  command: string;
  /** `pk|sk` of every item written. */
  keys: string[];
}

const WRITES = /^(Put|Update|Delete|TransactWrite|BatchWrite)/;

export class WriteJournal {
  entries: JournalEntry[] = [];

  attach(client: DynamoDBDocumentClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName ?? '');
        const result = await next(args);
        // Only what committed: a refused condition throws before this line.
        if (WRITES.test(command)) this.entries.push({ fn: currentFunction.getStore() ?? 'local-stack', command, keys: keysOf(args.input as Input) });
        return result;
      },
      { step: 'initialize', name: 'fuzzWriteJournal' },
    );
  }

  take(): JournalEntry[] {
    const taken = this.entries;
    this.entries = [];
    return taken;
  }
}

type Key = { pk?: unknown; sk?: unknown };
interface Input {
  Item?: Key;
  Key?: Key;
  TransactItems?: { Put?: { Item: Key }; Update?: { Key: Key }; Delete?: { Key: Key } }[];
  RequestItems?: Record<string, { PutRequest?: { Item: Key }; DeleteRequest?: { Key: Key } }[]>;
}

const keyText = (key: Key | undefined) => `${String(key?.pk)}|${String(key?.sk)}`;

function keysOf(input: Input): string[] {
  if (input.Item) return [keyText(input.Item)];
  if (input.Key) return [keyText(input.Key)];
  if (input.TransactItems)
    return input.TransactItems.flatMap((item) => {
      const key = item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key;
      return key ? [keyText(key)] : [];
    });
  if (input.RequestItems)
    return Object.values(input.RequestItems).flatMap((requests) => requests.map((r) => keyText(r.PutRequest?.Item ?? r.DeleteRequest?.Key)));
  return [];
}

/** What an item is, from its key: `RATE`, `ATTEMPTS`, `USER/SESSION`, ... (docs/data-model.md). */
export function itemKind(key: string): string {
  const [pk = '', sk = ''] = key.split('|');
  const head = pk.split('#')[0]!;
  if (head === 'USER' || head === 'ORDERS' || head === 'WALLET' || head === 'TOPUP' || head === 'LIMIT') return `${head}/${sk.split('#')[0]}`;
  return head;
}
