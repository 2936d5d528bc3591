// A local table kept from before an index existed gets its indexes one at a time: DynamoDB Local, like AWS, refuses a
// second index build while one is still CREATING (it did, once, in CI under load: LimitExceededException).
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  LimitExceededException,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, expect, it } from 'vitest';
import { TABLE_DESIGN, TABLE_INDEXES } from '../../../lambdas/adapters/dynamodb/table-design.js';
import { ensureTableWith } from '../../../local/dynamodb-local.js';

const dynamo = mockClient(DynamoDBClient);
afterEach(() => dynamo.reset());

it('waits for each index to be built, and asks again while the store refuses a second build', async () => {
  const built: string[] = [];
  let building: string | undefined;
  let describesWhileBuilding = 0;
  dynamo.on(CreateTableCommand).rejects(new ResourceInUseException({ message: 'exists', $metadata: {} }));
  dynamo.on(UpdateTableCommand).callsFake((input) => {
    const name = input.GlobalSecondaryIndexUpdates?.[0]?.Create?.IndexName as string;
    if (building) throw new LimitExceededException({ message: 'Only 1 online index can be created or deleted simultaneously per table', $metadata: {} });
    building = name;
    describesWhileBuilding = 0;
    return {};
  });
  dynamo.on(DescribeTableCommand).callsFake(() => {
    // Two describes see the index CREATING, the third sees it ACTIVE.
    if (building && ++describesWhileBuilding >= 3) {
      built.push(building);
      building = undefined;
    }
    const indexes = [
      ...built.map((IndexName) => ({ IndexName, IndexStatus: 'ACTIVE' })),
      ...(building ? [{ IndexName: building, IndexStatus: 'CREATING' }] : []),
    ];
    return {
      Table: {
        GlobalSecondaryIndexes: indexes,
        StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_DESIGN.streamView },
        LatestStreamArn: 'arn:stream',
      },
    };
  });

  const result = await ensureTableWith(new DynamoDBClient({ region: 'us-east-1' }), 'codex');

  expect(result.streamArn).toBe('arn:stream');
  expect(built.sort()).toEqual(TABLE_INDEXES.map((index) => index.name).sort());
  // One UpdateTable per index: the wait made every request land on a table with nothing being built.
  expect(dynamo.commandCalls(UpdateTableCommand)).toHaveLength(TABLE_INDEXES.length);
});

it('asks again when the store refuses an index build it still counts as running', async () => {
  let refusals = 1;
  let created = false;
  dynamo.on(CreateTableCommand).rejects(new ResourceInUseException({ message: 'exists', $metadata: {} }));
  dynamo.on(UpdateTableCommand).callsFake(() => {
    if (refusals-- > 0) throw new LimitExceededException({ message: 'Only 1 online index can be created', $metadata: {} });
    created = true;
    return {};
  });
  const others = TABLE_INDEXES.slice(1).map((index) => ({ IndexName: index.name, IndexStatus: 'ACTIVE' }));
  dynamo.on(DescribeTableCommand).callsFake(() => ({
    Table: {
      GlobalSecondaryIndexes: created ? [...others, { IndexName: TABLE_INDEXES[0]!.name, IndexStatus: 'ACTIVE' }] : others,
      StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_DESIGN.streamView },
      LatestStreamArn: 'arn:stream',
    },
  }));

  await ensureTableWith(new DynamoDBClient({ region: 'us-east-1' }), 'codex');

  expect(created).toBe(true);
  expect(dynamo.commandCalls(UpdateTableCommand)).toHaveLength(2);
});
