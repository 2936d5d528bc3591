// Who may call the admin API: the caller from the claims API Gateway's Cognito authorizer verified (the gateway itself
// answers 401 to a request without a valid token), checked against the one permission table. The admin functions
// hand it to restHandler; the customer API's functions never carry the table.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type AdminCaller, adminCallerFromClaims } from '../../admin/domain/admin-caller.js';
import { mayCall } from '../../admin/domain/permissions.js';
import type { Operation } from '../v1/operation.js';
import { RestError, type RestHandlerOptions } from '../v1/http.js';

export function adminCaller(operation: Operation, event: APIGatewayProxyEvent): AdminCaller {
  const claims = (event.requestContext?.authorizer as { claims?: Record<string, unknown> } | null | undefined)?.claims;
  const caller = adminCallerFromClaims(claims);
  if (!caller) {
    if (typeof claims?.sub === 'string') throw new RestError(403, 'forbidden', 'This account is in neither the admin nor the operator group');
    throw new RestError(401, 'unauthorized', 'Sign in: send a Cognito ID token (Authorization: Bearer <token>)', undefined, { 'www-authenticate': 'Bearer' });
  }
  if (!mayCall(caller.role, operation.method, operation.path))
    throw new RestError(403, 'forbidden', `The ${caller.role} role may not call ${operation.method} ${operation.path}`);
  return caller;
}

/** restHandler's options for an admin function. */
export const adminAccess: RestHandlerOptions = { adminCaller };
