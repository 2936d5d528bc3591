// Bundled like a function (tests/infra/bundle-size.test.ts) to show that the X-Ray SDK the bundles carry (lib/bundling.ts)
// still gives Powertools Tracer what it needs: the handler's subsegment and a traced AWS SDK call, sent to the daemon.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { observe } from '../../lambdas/shared/observability/observe.js';
import { traced } from '../../lambdas/shared/observability/tracer.js';

const dynamodb = traced(new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT }));

export const handler = observe(async (event: { pk: string }) => {
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: event.pk }, sk: { S: 'PROBE' } } }));
  return { found: Item !== undefined };
});
