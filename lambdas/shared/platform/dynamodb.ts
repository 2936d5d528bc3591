// The one DynamoDB document client of a container, and the table every store uses.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../adapters/dynamodb/client.js';
import { lazy, platform } from '../platform.js';
import { config } from './config.js';
import { traced } from '../observability/tracer.js';

export const documentClient: () => DynamoDBDocumentClient = /* @__PURE__ */ lazy(() => {
  const { AWS_REGION, DYNAMODB_ENDPOINT } = config();
  return traced(createDocumentClient({ region: AWS_REGION, ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}), ...platform().dynamoDb }));
});

export const tableName = (): string => config().TABLE_NAME;
