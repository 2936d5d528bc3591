// An admin's actions on a user's API keys, through key management (each change audited there, with the admin as
// actor and the fields before and after): suspend, reactivate, revoke, change limits.
import type { ApiKeyLimits } from '../../access/domain/api-keys.js';
import type { ApiKeyManagement } from '../../access/application/api-key-management.js';
import type { ApiKeyDetails } from '../../access/ports.js';
import { DomainError } from '../../shared/errors.js';
import type { ActingAdmin } from '../users-ports.js';

export type KeyAction = 'suspend' | 'reactivate' | 'revoke';

type KeyManagement = Pick<ApiKeyManagement, 'getApiKey' | 'suspendApiKey' | 'reactivateApiKey' | 'revokeApiKey' | 'setLimits'>;

/** Undefined when the user has no key of that id. */
export async function actOnKey(
  keys: KeyManagement,
  input: { userId: string; keyId: string; action: KeyAction; reason?: string },
  admin: ActingAdmin,
): Promise<ApiKeyDetails | undefined> {
  if (!(await keys.getApiKey(input.userId, input.keyId))) return undefined;
  const options = { ...admin, ...(input.reason ? { reason: input.reason } : {}) };
  if (input.action === 'suspend') return keys.suspendApiKey(input.userId, input.keyId, options);
  if (input.action === 'reactivate') return keys.reactivateApiKey(input.userId, input.keyId, options);
  return keys.revokeApiKey(input.userId, input.keyId, options);
}

/** Sets the limits given (null removes one, so the tier's applies); the others stay. Undefined when there is no such key. */
export async function changeKeyLimits(
  keys: KeyManagement,
  input: { userId: string; keyId: string; limits: { [K in keyof ApiKeyLimits]?: number | null } },
  admin: ActingAdmin,
): Promise<ApiKeyDetails | undefined> {
  const key = await keys.getApiKey(input.userId, input.keyId);
  if (!key) return undefined;
  const limits: Partial<ApiKeyLimits> = { ...key.limits };
  for (const [name, value] of Object.entries(input.limits) as [keyof ApiKeyLimits, number | null | undefined][]) {
    if (value === null) delete limits[name];
    else if (value !== undefined) limits[name] = value;
  }
  if (Object.keys(input.limits).length === 0) throw new DomainError('invalid_request', 'Name at least one limit', 'limits');
  return keys.setLimits(input.userId, input.keyId, limits, admin);
}
