// GET /health — answers once the function can run; the local stack only listens when everything is ready.
import type { APIGatewayProxyResult } from 'aws-lambda';
import { observe } from '../shared/observability/observe.js';

export const handler = observe(
  async (): Promise<APIGatewayProxyResult> => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({ status: 'ok' }),
  }),
);
