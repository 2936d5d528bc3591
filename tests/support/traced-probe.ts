// Bundled like a function, with tracing on as Lambda runs it: observe() and a traced DynamoDB client.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { observe } from '../../lambdas/shared/observability/observe.js';
import { documentClient, tableName } from '../../lambdas/shared/platform/dynamodb.js';

export const handler = observe(async (event: { pk: string }) => {
  const { Item } = await documentClient().send(new GetCommand({ TableName: tableName(), Key: { pk: event.pk, sk: 'PROBE' } }));
  await fetch(`${process.env.DYNAMODB_ENDPOINT}/fetched?q=secret`);
  return Item ?? null;
});
