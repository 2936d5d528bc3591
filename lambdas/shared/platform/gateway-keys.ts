import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayKeys } from '../../adapters/apigateway/api-gateway-keys.js';
import type { GatewayKeys } from '../../access/domain/gateway-keys.js';
import { lazy, platform } from '../platform.js';
import { config } from './config.js';
import { traced } from '../observability/tracer.js';

export const gatewayKeys: () => GatewayKeys = /* @__PURE__ */ lazy(
  () => platform().gatewayKeys ?? new ApiGatewayKeys(traced(new APIGatewayClient({ region: config().AWS_REGION })), config().STAGE),
);
