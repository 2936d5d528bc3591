// The tables, their indexes and stream, and DynamoDB's operations over them, one synchronous call each: every
// operation is atomic, as a single DynamoDB request is. Inputs and outputs are the JSON protocol's shapes.
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoError, validation } from './errors.js';
import {
  applyUpdate,
  type Condition,
  evaluate,
  ExpressionContext,
  type Path,
  parseCondition,
  parseProjection,
  parseUpdate,
  project,
  type UpdatePlan,
} from './expressions.js';
import { type AttributeValue, checkItem, checkValue, compareValues, equalItems, type Item, itemSize, typeOf } from './values.js';

// biome-ignore lint/suspicious/noExplicitAny: the JSON protocol's input, checked field by field where it is read
type Input = Record<string, any>;
type Output = Record<string, unknown>;

interface IndexDef {
  name: string;
  hash: string;
  range?: string;
  projection: { ProjectionType: string; NonKeyAttributes?: string[] };
}

interface Table {
  name: string;
  hash: string;
  range?: string;
  attributeTypes: Record<string, string>;
  indexes: IndexDef[];
  createdAt: number;
  streamViewType?: string;
  streamLabel: string;
  ttlAttribute?: string;
  items: Map<string, Item>;
  /** Per index ('' = the table): partition key → primary key → item. */
  partitions: Map<string, Map<string, Map<string, Item>>>;
  description: Output;
}

const MAX_ITEM_BYTES = 400 * 1024;
const PAGE_BYTES = 1024 * 1024;
const TOKEN_WINDOW_MS = 10 * 60 * 1000;

export interface BatchOptions {
  processOnly?: number;
}

const keyText = (value: AttributeValue | undefined) => (value ? `${typeOf(value)}:${String(value[typeOf(value)])}` : '');

export class Engine {
  tables = new Map<string, Table>();
  /** A partition's (or a whole table's) entries in key order, kept until its next write. */
  private sortedCache = new WeakMap<Map<string, Item>, [string, Item][]>();
  stream: DynamoDBRecord[] = [];
  sequence = 0;
  version = 0;
  private tokens = new Map<string, { fingerprint: string; at: number; output: Output }>();
  /**
   * AWS's TransactionConflict, which DynamoDB Local never answers (off unless set, see MemoryDynamo): the items of a
   * committed write transaction count as held for `windowMs` after it, and a write transaction or a single-item write
   * on a held item in that time is refused as a conflict (BatchWriteItem and TransactGetItems are not refused).
   */
  conflicts?: { windowMs: number; clock: () => number; heldUntil: Map<string, number>; answered: number };

  /**
   * Everything the engine holds, for restore(): tables and their indexes copied (new maps), items shared, since a write
   * replaces an item and never changes one in place.
   */
  snapshot(): EngineSnapshot {
    return { tables: copyTables(this.tables), stream: [...this.stream], sequence: this.sequence, version: this.version, tokens: new Map(this.tokens) };
  }

  /** Back to a snapshot's state; the snapshot stays as it was, to restore again. */
  restore(snapshot: EngineSnapshot): void {
    this.tables = copyTables(snapshot.tables);
    this.stream = [...snapshot.stream];
    this.sequence = snapshot.sequence;
    this.version = snapshot.version;
    this.tokens = new Map(snapshot.tokens);
    this.conflicts?.heldUntil.clear();
  }

  reset(): void {
    this.tables.clear();
    this.stream = [];
    this.sequence = 0;
    this.version = 0;
    this.tokens.clear();
    this.conflicts?.heldUntil.clear();
  }

  /** processOnly: a batch processes only its first entries and hands the rest back unprocessed (a throttled batch). */
  run(operation: string, input: Input, options: BatchOptions = {}): Output {
    const handler = (this as unknown as Record<string, (input: Input, options: BatchOptions) => Output>)[`op${operation}`];
    if (!handler) throw new DynamoError('UnknownOperationException', `Unknown operation: ${operation}`);
    return handler.call(this, input, options);
  }

  // --- tables -------------------------------------------------------------------------------------------------

  table(name: unknown): Table {
    const table = this.tables.get(String(name));
    if (!table) throw new DynamoError('ResourceNotFoundException', 'Cannot do operations on a non-existent table');
    return table;
  }

  opCreateTable(input: Input): Output {
    const name = String(input.TableName ?? '');
    if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) throw validation(`TableName must be at least 3 characters long and at most 255 characters long`);
    if (this.tables.has(name)) throw new DynamoError('ResourceInUseException', `Cannot create preexisting table`);
    const keyOf = (schema: { AttributeName: string; KeyType: string }[]) => ({
      hash: schema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '',
      range: schema.find((k) => k.KeyType === 'RANGE')?.AttributeName,
    });
    const attributeTypes = Object.fromEntries((input.AttributeDefinitions ?? []).map((a: Input) => [a.AttributeName, a.AttributeType]));
    const { hash, range } = keyOf(input.KeySchema ?? []);
    if (!hash || !attributeTypes[hash]) throw validation('One or more parameter values were invalid: Missing the key schema or attribute definitions');
    const now = Date.now();
    const table: Table = {
      name,
      hash,
      ...(range ? { range } : {}),
      attributeTypes,
      indexes: [],
      createdAt: now,
      ...(input.StreamSpecification?.StreamEnabled ? { streamViewType: input.StreamSpecification.StreamViewType } : {}),
      streamLabel: new Date(now).toISOString().replace('Z', ''),
      items: new Map(),
      partitions: new Map([['', new Map()]]),
      description: {},
    };
    for (const index of [...(input.GlobalSecondaryIndexes ?? []), ...(input.LocalSecondaryIndexes ?? [])]) this.addIndex(table, index, keyOf(index.KeySchema));
    this.tables.set(name, table);
    return { TableDescription: this.describe(table) };
  }

  private addIndex(table: Table, index: Input, keys: { hash: string; range: string | undefined }): void {
    table.indexes.push({
      name: index.IndexName,
      hash: keys.hash,
      ...(keys.range ? { range: keys.range } : {}),
      projection: index.Projection ?? { ProjectionType: 'ALL' },
    });
    const partitions = new Map<string, Map<string, Item>>();
    table.partitions.set(index.IndexName, partitions);
    for (const [primary, item] of table.items) this.placeIn(partitions, table.indexes.at(-1)!, primary, item);
  }

  private describe(table: Table): Output {
    const keySchema = (hash: string, range?: string) => [
      { AttributeName: hash, KeyType: 'HASH' },
      ...(range ? [{ AttributeName: range, KeyType: 'RANGE' }] : []),
    ];
    const streamArn = `arn:aws:dynamodb:us-east-1:000000000000:table/${table.name}/stream/${table.streamLabel}`;
    return {
      TableName: table.name,
      TableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table.name}`,
      TableStatus: 'ACTIVE',
      CreationDateTime: table.createdAt / 1000,
      AttributeDefinitions: Object.entries(table.attributeTypes).map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
      KeySchema: keySchema(table.hash, table.range),
      ItemCount: table.items.size,
      TableSizeBytes: 0,
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
      ...(table.indexes.length > 0
        ? {
            GlobalSecondaryIndexes: table.indexes.map((index) => ({
              IndexName: index.name,
              KeySchema: keySchema(index.hash, index.range),
              Projection: index.projection,
              IndexStatus: 'ACTIVE',
              ItemCount: table.partitions.get(index.name)!.size,
            })),
          }
        : {}),
      ...(table.streamViewType
        ? {
            StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType },
            LatestStreamLabel: table.streamLabel,
            LatestStreamArn: streamArn,
          }
        : {}),
    };
  }

  opDescribeTable(input: Input): Output {
    return { Table: this.describe(this.table(input.TableName)) };
  }

  opListTables(): Output {
    return { TableNames: [...this.tables.keys()].sort() };
  }

  opDeleteTable(input: Input): Output {
    const table = this.table(input.TableName);
    this.tables.delete(table.name);
    return { TableDescription: { ...this.describe(table), TableStatus: 'DELETING' } };
  }

  opUpdateTable(input: Input): Output {
    const table = this.table(input.TableName);
    for (const definition of input.AttributeDefinitions ?? []) table.attributeTypes[definition.AttributeName] = definition.AttributeType;
    for (const update of input.GlobalSecondaryIndexUpdates ?? []) {
      if (update.Create) {
        const schema = update.Create.KeySchema as { AttributeName: string; KeyType: string }[];
        this.addIndex(table, update.Create, {
          hash: schema.find((k) => k.KeyType === 'HASH')!.AttributeName,
          range: schema.find((k) => k.KeyType === 'RANGE')?.AttributeName,
        });
      }
      if (update.Delete) {
        table.indexes = table.indexes.filter((index) => index.name !== update.Delete.IndexName);
        table.partitions.delete(update.Delete.IndexName);
      }
    }
    if (input.StreamSpecification) {
      if (input.StreamSpecification.StreamEnabled) {
        table.streamViewType = input.StreamSpecification.StreamViewType;
        table.streamLabel = new Date(Date.now()).toISOString().replace('Z', '');
      } else delete table.streamViewType;
    }
    return { TableDescription: this.describe(table) };
  }

  opUpdateTimeToLive(input: Input): Output {
    const table = this.table(input.TableName);
    const spec = input.TimeToLiveSpecification ?? {};
    if (spec.Enabled) table.ttlAttribute = spec.AttributeName;
    else delete table.ttlAttribute;
    return { TimeToLiveSpecification: spec };
  }

  opDescribeTimeToLive(input: Input): Output {
    const table = this.table(input.TableName);
    return {
      TimeToLiveDescription: table.ttlAttribute ? { TimeToLiveStatus: 'ENABLED', AttributeName: table.ttlAttribute } : { TimeToLiveStatus: 'DISABLED' },
    };
  }

  // --- keys and storage ---------------------------------------------------------------------------------------

  private keyAttributes(table: Table): string[] {
    return table.range ? [table.hash, table.range] : [table.hash];
  }

  /** The key of a request, checked against the schema: its primary key text and the key item. */
  private checkKey(table: Table, raw: unknown): { primary: string; key: Item } {
    const key = checkItem((raw ?? {}) as Record<string, unknown>);
    const names = this.keyAttributes(table);
    if (Object.keys(key).length !== names.length || names.some((name) => !key[name] || typeOf(key[name]) !== table.attributeTypes[name]))
      throw validation('The provided key element does not match the schema');
    for (const name of names)
      if (key[name]!.S === '' || key[name]!.B === '')
        throw validation(
          `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`,
        );
    return { primary: this.primaryOf(table, key), key };
  }

  /** Whether a transaction committed on this item is still taken as under way (conflicts emulated only). */
  private isHeld(table: Table, primary: string): boolean {
    if (!this.conflicts) return false;
    const id = `${table.name}\u0002${primary}`;
    const until = this.conflicts.heldUntil.get(id);
    if (until === undefined) return false;
    if (until > this.conflicts.clock()) return true;
    this.conflicts.heldUntil.delete(id);
    return false;
  }

  private refuseIfHeld(table: Table, primary: string): void {
    if (!this.conflicts || !this.isHeld(table, primary)) return;
    this.conflicts.answered++;
    throw new DynamoError('TransactionConflictException', 'Transaction is ongoing for the item');
  }

  private primaryOf(table: Table, item: Item): string {
    return table.range ? `${keyText(item[table.hash])}\u0001${keyText(item[table.range])}` : keyText(item[table.hash]);
  }

  private checkPutItem(table: Table, raw: unknown): { primary: string; item: Item } {
    const item = checkItem((raw ?? {}) as Record<string, unknown>);
    for (const name of this.keyAttributes(table)) {
      const value = item[name];
      if (!value) throw validation(`One or more parameter values were invalid: Missing the key ${name} in the item`);
      if (typeOf(value) !== table.attributeTypes[name])
        throw validation(
          `One or more parameter values were invalid: Type mismatch for key ${name} expected: ${table.attributeTypes[name]} actual: ${typeOf(value)}`,
        );
    }
    this.checkStored(table, item);
    return { primary: this.primaryOf(table, item), item };
  }

  /** What DynamoDB refuses in an item it would store: an oversized item, index keys of the wrong type or empty. */
  private checkStored(table: Table, item: Item): void {
    for (const name of this.keyAttributes(table))
      if (item[name]?.S === '' || item[name]?.B === '')
        throw validation(
          `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`,
        );
    if (itemSize(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
    for (const index of table.indexes)
      for (const name of index.range ? [index.hash, index.range] : [index.hash]) {
        const value = item[name];
        if (!value) continue;
        const expected = table.attributeTypes[name];
        if (typeOf(value) !== expected)
          throw validation(
            `One or more parameter values were invalid: Type mismatch for Index Key ${name} Expected: ${expected} Actual: ${typeOf(value)} IndexName: ${index.name}`,
          );
        if (value.S === '' || value.B === '')
          throw validation(
            `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ${index.name}, IndexKey: ${name}`,
          );
      }
  }

  private placeIn(partitions: Map<string, Map<string, Item>>, index: { hash: string; range?: string }, primary: string, item: Item): void {
    const hash = item[index.hash];
    if (!hash || (index.range && !item[index.range])) return;
    const text = keyText(hash);
    let partition = partitions.get(text);
    if (!partition) partitions.set(text, (partition = new Map()));
    partition.set(primary, item);
    this.sortedCache.delete(partition);
  }

  private removeFrom(partitions: Map<string, Map<string, Item>>, index: { hash: string }, primary: string, item: Item): void {
    const text = keyText(item[index.hash]);
    const partition = partitions.get(text);
    if (!partition) return;
    partition.delete(primary);
    this.sortedCache.delete(partition);
    if (partition.size === 0) partitions.delete(text);
  }

  /** Stores (or with `next` undefined, deletes) one item; a change writes a stream record and moves the version. */
  private commit(table: Table, primary: string, next: Item | undefined): void {
    const old = table.items.get(primary);
    if (!old && !next) return;
    if (old && next && equalItems(old, next)) return;
    const indexes: { name: string; hash: string; range?: string }[] = [
      { name: '', hash: table.hash, ...(table.range ? { range: table.range } : {}) },
      ...table.indexes,
    ];
    for (const index of indexes) {
      const partitions = table.partitions.get(index.name)!;
      if (old) this.removeFrom(partitions, index, primary, old);
      if (next) this.placeIn(partitions, index, primary, next);
    }
    if (next) table.items.set(primary, next);
    else table.items.delete(primary);
    this.sortedCache.delete(table.items);
    this.version++;
    if (!table.streamViewType) return;
    const image = (next ?? old)!;
    const keys = Object.fromEntries(this.keyAttributes(table).map((name) => [name, image[name]!]));
    const view = table.streamViewType;
    const sequence = String(++this.sequence).padStart(21, '0');
    this.stream.push({
      eventID: sequence.slice(-12),
      eventName: !old ? 'INSERT' : !next ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: keys as never,
        ...(next && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { NewImage: next as never } : {}),
        ...(old && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? { OldImage: old as never } : {}),
        SequenceNumber: sequence,
        SizeBytes: itemSize(keys) + (next ? itemSize(next) : 0) + (old ? itemSize(old) : 0),
        StreamViewType: view as never,
      },
      eventSourceARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${table.name}/stream/${table.streamLabel}`,
    });
  }

  // --- expressions of a request ---------------------------------------------------------------------------------

  private context(input: Input): ExpressionContext {
    const values: Record<string, AttributeValue> = {};
    for (const [name, value] of Object.entries(input.ExpressionAttributeValues ?? {})) values[name] = checkValue(value);
    if (input.ExpressionAttributeNames && Object.keys(input.ExpressionAttributeNames).length === 0)
      throw validation('ExpressionAttributeNames must not be empty');
    if (input.ExpressionAttributeValues && Object.keys(input.ExpressionAttributeValues).length === 0)
      throw validation('ExpressionAttributeValues must not be empty');
    for (const legacy of ['Expected', 'AttributeUpdates', 'KeyConditions', 'QueryFilter', 'ScanFilter', 'AttributesToGet'])
      if (input[legacy] !== undefined) throw validation(`${legacy} is not supported by this engine; use expressions`);
    return new ExpressionContext(input.ExpressionAttributeNames ?? {}, values);
  }

  private writeRequest(input: Input, withUpdate: boolean) {
    const context = this.context(input);
    const condition = input.ConditionExpression ? parseCondition(input.ConditionExpression, context) : undefined;
    const update = withUpdate && input.UpdateExpression ? parseUpdate(input.UpdateExpression, context) : undefined;
    context.checkAllUsed();
    if (!withUpdate && input.UpdateExpression !== undefined) throw validation('UpdateExpression is not allowed here');
    return { condition, update };
  }

  private failed(condition: Condition | undefined, old: Item | undefined): boolean {
    return !!condition && !evaluate(condition, old);
  }

  private updated(table: Table, plan: UpdatePlan | undefined, old: Item | undefined, key: Item): Item {
    if (plan)
      for (const path of [...plan.set.map((a) => a.path), ...plan.add.map((a) => a.path), ...plan.delete.map((a) => a.path), ...plan.remove])
        if (this.keyAttributes(table).includes(path.parts[0] as string))
          throw validation(`One or more parameter values were invalid: Cannot update attribute ${path.parts[0]}. This attribute is part of the key`);
    const next = plan ? applyUpdate(plan, old ?? key) : { ...(old ?? key) };
    this.checkStored(table, next);
    return next;
  }

  private conditionFailed(input: Input, old: Item | undefined): DynamoError {
    return new DynamoError(
      'ConditionalCheckFailedException',
      'The conditional request failed',
      input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old ? { Item: old } : {},
    );
  }

  // --- single items ---------------------------------------------------------------------------------------------

  opGetItem(input: Input): Output {
    const table = this.table(input.TableName);
    const context = this.context(input);
    const projection = input.ProjectionExpression ? parseProjection(input.ProjectionExpression, context) : undefined;
    context.checkAllUsed();
    const { primary } = this.checkKey(table, input.Key);
    const item = table.items.get(primary);
    return {
      ...(item ? { Item: projection ? project(item, projection) : item } : {}),
      ...this.capacity(input, table, item ? itemSize(item) : 1, 'read', input.ConsistentRead),
    };
  }

  opPutItem(input: Input): Output {
    const table = this.table(input.TableName);
    const { condition } = this.writeRequest(input, false);
    const { primary, item } = this.checkPutItem(table, input.Item);
    this.refuseIfHeld(table, primary);
    const old = table.items.get(primary);
    if (this.failed(condition, old)) throw this.conditionFailed(input, old);
    this.commit(table, primary, item);
    return {
      ...(input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...this.capacity(input, table, Math.max(itemSize(item), old ? itemSize(old) : 0), 'write', false, this.touchedIndexes(table, old, item)),
    };
  }

  opUpdateItem(input: Input): Output {
    const table = this.table(input.TableName);
    const { condition, update } = this.writeRequest(input, true);
    const { primary, key } = this.checkKey(table, input.Key);
    this.refuseIfHeld(table, primary);
    const old = table.items.get(primary);
    if (this.failed(condition, old)) throw this.conditionFailed(input, old);
    const next = this.updated(table, update, old, key);
    this.commit(table, primary, next);
    const touched: Path[] = update ? [...update.set, ...update.add, ...update.delete].map((a) => a.path).concat(update.remove) : [];
    const returned =
      input.ReturnValues === 'ALL_NEW'
        ? next
        : input.ReturnValues === 'ALL_OLD'
          ? old
          : input.ReturnValues === 'UPDATED_NEW'
            ? project(next, touched)
            : input.ReturnValues === 'UPDATED_OLD' && old
              ? project(old, touched)
              : undefined;
    return {
      ...(returned && Object.keys(returned).length > 0 ? { Attributes: returned } : {}),
      ...this.capacity(input, table, Math.max(itemSize(next), old ? itemSize(old) : 0), 'write', false, this.touchedIndexes(table, old, next)),
    };
  }

  opDeleteItem(input: Input): Output {
    const table = this.table(input.TableName);
    const { condition } = this.writeRequest(input, false);
    const { primary } = this.checkKey(table, input.Key);
    this.refuseIfHeld(table, primary);
    const old = table.items.get(primary);
    if (this.failed(condition, old)) throw this.conditionFailed(input, old);
    this.commit(table, primary, undefined);
    return {
      ...(input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...this.capacity(input, table, old ? itemSize(old) : 1, 'write', false, this.touchedIndexes(table, old, undefined)),
    };
  }

  // --- queries and scans ------------------------------------------------------------------------------------

  private index(table: Table, name: unknown): IndexDef | undefined {
    if (name === undefined) return undefined;
    const index = table.indexes.find((i) => i.name === name);
    if (!index) throw validation(`The table does not have the specified index: ${String(name)}`);
    return index;
  }

  /** The item as an index holds it: its keys, the table's keys and the projected attributes. */
  private projectedByIndex(table: Table, index: IndexDef | undefined, item: Item): Item {
    if (!index || index.projection.ProjectionType === 'ALL') return item;
    const keep = new Set([...this.keyAttributes(table), index.hash, ...(index.range ? [index.range] : []), ...(index.projection.NonKeyAttributes ?? [])]);
    return Object.fromEntries(Object.entries(item).filter(([name]) => keep.has(name)));
  }

  private sorted(entries: Map<string, Item>, range: string | undefined): [string, Item][] {
    let sorted = this.sortedCache.get(entries);
    if (!sorted) this.sortedCache.set(entries, (sorted = [...entries.entries()].sort(this.sorter(range))));
    return sorted;
  }

  private sorter(range: string | undefined) {
    return (a: [string, Item], b: [string, Item]) => {
      if (range) {
        const order = compareValues(a[1][range]!, b[1][range]!) ?? 0;
        if (order !== 0) return order;
      }
      return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    };
  }

  private lastKey(table: Table, index: IndexDef | undefined, item: Item): Item {
    const names = new Set([...this.keyAttributes(table), ...(index ? [index.hash, ...(index.range ? [index.range] : [])] : [])]);
    return Object.fromEntries([...names].map((name) => [name, item[name]!]));
  }

  opQuery(input: Input): Output {
    const table = this.table(input.TableName);
    const index = this.index(table, input.IndexName);
    if (index && input.ConsistentRead) throw validation('Consistent reads are not supported on global secondary indexes');
    if (!input.KeyConditionExpression) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    const context = this.context(input);
    const keyCondition = parseCondition(input.KeyConditionExpression, context, 'KeyConditionExpression');
    const filter = input.FilterExpression ? parseCondition(input.FilterExpression, context, 'FilterExpression') : undefined;
    const projection = input.ProjectionExpression ? parseProjection(input.ProjectionExpression, context) : undefined;
    context.checkAllUsed();
    const hashName = index?.hash ?? table.hash;
    const rangeName = index ? index.range : table.range;
    const parts: Condition[] = [];
    const flatten = (c: Condition): void => {
      if (c.kind !== 'and') parts.push(c);
      else {
        flatten(c.left);
        flatten(c.right);
      }
    };
    flatten(keyCondition);
    const onHash = parts.find(
      (c) => c.kind === 'compare' && c.op === '=' && c.left.kind === 'path' && c.left.parts.length === 1 && c.left.parts[0] === hashName,
    );
    const rest = parts.filter((c) => c !== onHash);
    const invalidKey = () => validation('Query condition missed key schema element');
    if (onHash?.kind !== 'compare' || onHash.right.kind !== 'value') throw invalidKey();
    if (rest.length > 1) throw validation('Conditions can be of length 1 or 2 only');
    for (const c of rest) {
      const subject =
        c.kind === 'compare' ? c.left : c.kind === 'between' ? c.subject : c.kind === 'function' && c.name === 'begins_with' ? c.args[0] : undefined;
      if (subject?.kind !== 'path' || subject.parts.length !== 1 || subject.parts[0] !== rangeName || (c.kind === 'compare' && c.op === '<>'))
        throw validation(`Query key condition not supported`);
    }
    const partition = table.partitions.get(index?.name ?? '')!.get(keyText(onHash.right.value));
    const sorted = partition ? this.sorted(partition, rangeName) : [];
    const forward = input.ScanIndexForward !== false;
    const after = input.ExclusiveStartKey ? this.after(table, rangeName, input, forward) : () => true;
    function* candidates(): Generator<[string, Item]> {
      for (let i = 0; i < sorted.length; i++) {
        const entry = sorted[forward ? i : sorted.length - 1 - i]!;
        if (after(entry) && rest.every((c) => evaluate(c, entry[1]))) yield entry;
      }
    }
    return this.page(input, table, index, candidates(), filter, projection);
  }

  opScan(input: Input): Output {
    const table = this.table(input.TableName);
    const index = this.index(table, input.IndexName);
    const context = this.context(input);
    const filter = input.FilterExpression ? parseCondition(input.FilterExpression, context, 'FilterExpression') : undefined;
    const projection = input.ProjectionExpression ? parseProjection(input.ProjectionExpression, context) : undefined;
    context.checkAllUsed();
    let candidates = index
      ? [...table.partitions.get(index.name)!.values()].flatMap((p) => [...p.entries()]).sort(this.sorter(undefined))
      : this.sorted(table.items, undefined);
    if (input.ExclusiveStartKey) {
      const start = this.primaryOf(table, checkItem(input.ExclusiveStartKey));
      candidates = candidates.filter(([primary]) => primary > start);
    }
    return this.page(input, table, index, candidates, filter, projection);
  }

  /** Whether an entry comes after the ExclusiveStartKey in the query's direction. */
  private after(table: Table, rangeName: string | undefined, input: Input, forward: boolean): (entry: [string, Item]) => boolean {
    const start = checkItem(input.ExclusiveStartKey);
    const startEntry: [string, Item] = [this.primaryOf(table, start), start];
    const order = this.sorter(rangeName);
    if (rangeName && !start[rangeName]) throw validation('The provided starting key is invalid: The provided key element does not match the schema');
    return (entry) => (forward ? order(entry, startEntry) > 0 : order(entry, startEntry) < 0);
  }

  private page(
    input: Input,
    table: Table,
    index: IndexDef | undefined,
    candidates: Iterable<[string, Item]>,
    filter: Condition | undefined,
    projection: Path[] | undefined,
  ): Output {
    const limit = input.Limit === undefined ? Number.POSITIVE_INFINITY : Number(input.Limit);
    if (!(limit >= 1))
      throw validation("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    const items: Item[] = [];
    let scanned = 0;
    let bytes = 0;
    let last: Item | undefined;
    let stoppedEarly = false;
    for (const [, stored] of candidates) {
      if (scanned >= limit || bytes >= PAGE_BYTES) {
        stoppedEarly = true;
        break;
      }
      const item = this.projectedByIndex(table, index, stored);
      scanned++;
      bytes += itemSize(item);
      last = item;
      if (filter && !evaluate(filter, item)) continue;
      items.push(projection ? project(item, projection) : item);
    }
    // At the Limit DynamoDB hands back a LastEvaluatedKey even when nothing follows (one more, empty, page).
    stoppedEarly ||= scanned >= limit;
    const count = input.Select === 'COUNT';
    return {
      ...(count ? {} : { Items: items }),
      Count: items.length,
      ScannedCount: scanned,
      ...(stoppedEarly && last ? { LastEvaluatedKey: this.lastKey(table, index, last) } : {}),
      ...this.capacity(input, table, bytes, 'read', input.ConsistentRead, [], index?.name),
    };
  }

  // --- batches ----------------------------------------------------------------------------------------------

  opBatchGetItem(input: Input, options: BatchOptions = {}): Output {
    const responses: Record<string, Item[]> = {};
    const unprocessed: Record<string, Input> = {};
    const consumed: Output[] = [];
    const requests = Object.entries(input.RequestItems ?? {}) as [string, Input][];
    const total = requests.reduce((sum, [, r]) => sum + (r.Keys?.length ?? 0), 0);
    if (total > 100) throw validation('Too many items requested for the BatchGetItem call');
    const limit = options.processOnly ?? total;
    let position = 0;
    for (const [name, request] of requests) {
      const table = this.table(name);
      const context = this.context(request);
      const projection = request.ProjectionExpression ? parseProjection(request.ProjectionExpression, context) : undefined;
      context.checkAllUsed();
      const seen = new Set<string>();
      responses[name] = [];
      const left: unknown[] = [];
      let bytes = 0;
      for (const raw of request.Keys ?? []) {
        const { primary } = this.checkKey(table, raw);
        if (seen.has(primary)) throw validation('Provided list of item keys contains duplicates');
        seen.add(primary);
        if (position++ >= limit) {
          left.push(raw);
          continue;
        }
        const item = table.items.get(primary);
        if (item) {
          bytes += itemSize(item);
          responses[name].push(projection ? project(item, projection) : item);
        }
      }
      // Left unprocessed: the table's request as asked (projection, names, consistency), with the keys not read.
      if (left.length > 0) unprocessed[name] = { ...request, Keys: left };
      const units = this.capacity(input, table, bytes, 'read', request.ConsistentRead).ConsumedCapacity;
      if (units) consumed.push(units as Output);
    }
    return { Responses: responses, UnprocessedKeys: unprocessed, ...(consumed.length > 0 ? { ConsumedCapacity: consumed } : {}) };
  }

  opBatchWriteItem(input: Input, options: BatchOptions = {}): Output {
    const requests = Object.entries(input.RequestItems ?? {}) as [string, Input[]][];
    const total = requests.reduce((sum, [, r]) => sum + r.length, 0);
    if (total > 25 || total === 0)
      throw validation(
        `1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]`,
      );
    const writes: { table: Table; primary: string; item: Item | undefined; request: Input }[] = [];
    const seen = new Set<string>();
    for (const [name, list] of requests) {
      const table = this.table(name);
      for (const request of list) {
        const write = request.PutRequest
          ? { table, request, ...this.checkPutItem(table, request.PutRequest.Item) }
          : { table, request, primary: this.checkKey(table, request.DeleteRequest?.Key).primary, item: undefined };
        if (seen.has(`${name}\u0002${write.primary}`)) throw validation('Provided list of item keys contains duplicates');
        seen.add(`${name}\u0002${write.primary}`);
        writes.push(write);
      }
    }
    const limit = options.processOnly ?? writes.length;
    const unprocessed: Record<string, Input[]> = {};
    for (const [i, write] of writes.entries()) {
      if (i < limit) this.commit(write.table, write.primary, write.item);
      else (unprocessed[write.table.name] ??= []).push(write.request);
    }
    return { UnprocessedItems: unprocessed };
  }

  // --- transactions -------------------------------------------------------------------------------------------

  opTransactWriteItems(input: Input): Output {
    const actions = (input.TransactItems ?? []) as Input[];
    if (actions.length === 0 || actions.length > 100)
      throw validation(`1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100`);
    const token = input.ClientRequestToken as string | undefined;
    const fingerprint = JSON.stringify(actions);
    if (token) {
      const previous = this.tokens.get(token);
      if (previous && Date.now() - previous.at < TOKEN_WINDOW_MS) {
        if (previous.fingerprint !== fingerprint)
          throw new DynamoError(
            'IdempotentParameterMismatchException',
            'Request token conflicts with a previous request made with the same token but different parameters',
          );
        return previous.output;
      }
    }
    const planned = actions.map((action) => {
      const kind = ['ConditionCheck', 'Put', 'Update', 'Delete'].filter((k) => action[k] !== undefined);
      if (kind.length !== 1) throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
      const request = action[kind[0]!] as Input;
      const table = this.table(request.TableName);
      const { condition, update } = this.writeRequest(request, kind[0] === 'Update');
      if (kind[0] === 'ConditionCheck' && !condition) throw validation('The ConditionExpression of a ConditionCheck must be given');
      const put = kind[0] === 'Put' ? this.checkPutItem(table, request.Item) : undefined;
      const { primary, key } = put ? { primary: put.primary, key: put.item } : this.checkKey(table, request.Key);
      return { kind: kind[0]!, request, table, condition, update, primary, key, put };
    });
    const keys = new Set<string>();
    for (const p of planned) {
      const id = `${p.table.name}\u0002${p.primary}`;
      if (keys.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
      keys.add(id);
    }
    const held = planned.map((p) => this.isHeld(p.table, p.primary));
    if (this.conflicts && held.includes(true)) {
      this.conflicts.answered++;
      throw cancelled(held.map((h) => (h ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' })));
    }
    const reasons: Output[] = [];
    const results: { table: Table; primary: string; next: Item | undefined; write: boolean }[] = [];
    for (const p of planned) {
      const old = p.table.items.get(p.primary);
      if (this.failed(p.condition, old)) {
        reasons.push({
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(p.request.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old ? { Item: old } : {}),
        });
        continue;
      }
      // An update that cannot apply (a missing operand, a wrong type) refuses the whole request, as DynamoDB Local does.
      const next = p.kind === 'Put' ? p.put!.item : p.kind === 'Update' ? this.updated(p.table, p.update, old, p.key) : p.kind === 'Delete' ? undefined : old;
      results.push({ table: p.table, primary: p.primary, next, write: p.kind !== 'ConditionCheck' });
      reasons.push({ Code: 'None' });
    }
    if (reasons.some((r) => r.Code !== 'None')) throw cancelled(reasons);
    for (const r of results) if (r.write) this.commit(r.table, r.primary, r.next);
    if (this.conflicts) {
      const { clock, windowMs, heldUntil } = this.conflicts;
      const now = clock();
      if (heldUntil.size > 10_000) for (const [id, until] of heldUntil) if (until <= now) heldUntil.delete(id);
      for (const p of planned) heldUntil.set(`${p.table.name}\u0002${p.primary}`, now + windowMs);
    }
    const output: Output = {};
    if (input.ReturnConsumedCapacity && input.ReturnConsumedCapacity !== 'NONE') {
      const byTable = new Map<Table, number>();
      for (const r of results) byTable.set(r.table, (byTable.get(r.table) ?? 0) + 2 * Math.max(1, Math.ceil((r.next ? itemSize(r.next) : 1) / 1024)));
      output.ConsumedCapacity = [...byTable].map(([table, units]) => ({ TableName: table.name, CapacityUnits: units, WriteCapacityUnits: units }));
    }
    if (token) this.remember(token, { fingerprint, at: Date.now(), output });
    return output;
  }

  /** Keeps a token's answer for DynamoDB's ten minutes; older ones are dropped as a new one comes (oldest first). */
  private remember(token: string, entry: { fingerprint: string; at: number; output: Output }): void {
    const now = Date.now();
    for (const [old, { at }] of this.tokens) {
      if (now - at < TOKEN_WINDOW_MS) break;
      this.tokens.delete(old);
    }
    // Deleted first, so the map stays in the order the tokens were stored.
    this.tokens.delete(token);
    this.tokens.set(token, entry);
  }

  /** How many transaction tokens are remembered. */
  get rememberedTokens(): number {
    return this.tokens.size;
  }

  opTransactGetItems(input: Input): Output {
    const actions = (input.TransactItems ?? []) as Input[];
    if (actions.length === 0 || actions.length > 100) throw validation(`Member must have length less than or equal to 100`);
    return {
      Responses: actions.map((action) => {
        const request = action.Get as Input;
        const table = this.table(request?.TableName);
        const context = this.context(request);
        const projection = request.ProjectionExpression ? parseProjection(request.ProjectionExpression, context) : undefined;
        context.checkAllUsed();
        const item = table.items.get(this.checkKey(table, request.Key).primary);
        return item ? { Item: projection ? project(item, projection) : item } : {};
      }),
    };
  }

  // --- capacity -----------------------------------------------------------------------------------------------

  /** The indexes a write changes: an index write each (DynamoDB counts them in the call's capacity). */
  private touchedIndexes(table: Table, old: Item | undefined, next: Item | undefined): string[] {
    const held = (index: IndexDef, item: Item | undefined) =>
      item?.[index.hash] && (!index.range || item[index.range]) ? this.projectedByIndex(table, index, item) : undefined;
    return table.indexes.filter((index) => !equalItems(held(index, old), held(index, next))).map((index) => index.name);
  }

  /** An estimate from item sizes: a write unit a KB, a read unit 4 KB (half when eventually consistent). */
  private capacity(
    input: Input,
    table: Table,
    bytes: number,
    kind: 'read' | 'write',
    consistent?: boolean,
    indexWrites: string[] = [],
    readIndex?: string,
  ): { ConsumedCapacity?: Output } {
    const mode = input.ReturnConsumedCapacity;
    if (!mode || mode === 'NONE') return {};
    const units = kind === 'write' ? Math.max(1, Math.ceil(bytes / 1024)) : Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
    const total = units + indexWrites.length;
    const indexes = readIndex ? { [readIndex]: { CapacityUnits: units } } : Object.fromEntries(indexWrites.map((name) => [name, { CapacityUnits: 1 }]));
    return {
      ConsumedCapacity: {
        TableName: table.name,
        CapacityUnits: total,
        ...(kind === 'write' ? { WriteCapacityUnits: total } : { ReadCapacityUnits: total }),
        ...(mode === 'INDEXES'
          ? { ...(readIndex ? {} : { Table: { CapacityUnits: units } }), ...(Object.keys(indexes).length > 0 ? { GlobalSecondaryIndexes: indexes } : {}) }
          : {}),
      },
    };
  }

  // --- for the simulation -------------------------------------------------------------------------------------

  /** Every item of a table in key order. */
  sortedItems(name: string): Item[] {
    const table = this.tables.get(name);
    if (!table) return [];
    return this.sorted(table.items, undefined).map(([, item]) => item);
  }
}

export interface EngineSnapshot {
  readonly tables: ReadonlyMap<string, Table>;
  readonly stream: readonly DynamoDBRecord[];
  readonly sequence: number;
  readonly version: number;
  readonly tokens: ReadonlyMap<string, { fingerprint: string; at: number; output: Output }>;
}

function copyTables(tables: ReadonlyMap<string, Table>): Map<string, Table> {
  const copy = new Map<string, Table>();
  for (const [name, table] of tables) {
    const partitions = new Map<string, Map<string, Map<string, Item>>>();
    for (const [index, byHash] of table.partitions) partitions.set(index, new Map([...byHash].map(([hash, items]) => [hash, new Map(items)])));
    copy.set(name, { ...table, indexes: [...table.indexes], items: new Map(table.items), partitions, description: structuredClone(table.description) });
  }
  return copy;
}

export function cancelled(reasons: Output[]): DynamoError {
  return new DynamoError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    { CancellationReasons: reasons },
  );
}
