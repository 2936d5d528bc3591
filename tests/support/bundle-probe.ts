// Bundled like a function (tests/infra/bundle-size.test.ts) to show that a Lambda bundle, with its SDK modules
// replaced (lib/bundling.ts), still signs and sends a DynamoDB request with the credentials Lambda puts in the environment.
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../../lambdas/shared/platform/dynamodb.js';

export const handler = async (event: { pk: string }) => {
  await documentClient().send(new PutCommand({ TableName: tableName(), Item: { pk: event.pk, sk: 'PROBE', entity: 'probe' } }));
  const { Item } = await documentClient().send(new GetCommand({ TableName: tableName(), Key: { pk: event.pk, sk: 'PROBE' } }));
  return Item;
};
