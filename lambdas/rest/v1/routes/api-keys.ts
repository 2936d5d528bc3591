// REST v1 implementations: the caller's API keys, through the same key management as the admin tools.
import type { ApiKeyDetails } from '../../../access/ports.js';
import { keyManagement } from '../../../access/wiring.js';
import { createApiKey, listApiKeys, revokeApiKey, updateApiKey } from '../contract/api-keys.js';
import type { V1Caller } from '../caller.js';
import { created, noContent, notFound, ok, RestError, type RouteImpl, route } from '../http.js';

export const apiKeysRoutes: readonly RouteImpl[] = [
  route(listApiKeys, async (req) => ok({ items: (await keyManagement().listApiKeys(req.caller.userId)).map(keyJson), nextCursor: null })),
  route(createApiKey, async (req) => {
    sessionOnly(req.caller);
    const { key, record } = await keyManagement().createApiKey(req.caller.userId, req.caller.walletId, {
      selfService: true,
      ...(req.body.label !== undefined ? { label: req.body.label } : {}),
      ...(req.body.allowedIps !== undefined ? { allowedIps: req.body.allowedIps } : {}),
    });
    return created({ key, ...keyJson(record) });
  }),
  route(updateApiKey, async (req) => {
    sessionOnly(req.caller);
    const keys = keyManagement();
    let key = await ownKey(req.caller.userId, req.params.id);
    if (req.body.label !== undefined) key = await keys.relabelApiKey(req.caller.userId, key.keyId, req.body.label);
    if (req.body.allowedIps !== undefined) key = await keys.setIpAllowList(req.caller.userId, key.keyId, req.body.allowedIps);
    return ok(keyJson(key));
  }),
  route(revokeApiKey, async (req) => {
    sessionOnly(req.caller);
    await keyManagement().revokeApiKey(req.caller.userId, (await ownKey(req.caller.userId, req.params.id)).keyId);
    return noContent();
  }),
];

/** A key (maybe stolen, maybe IP-restricted) must not mint, widen or revoke keys: only a signed-in person may. */
function sessionOnly(caller: V1Caller): void {
  if (caller.via !== 'session') throw new RestError(403, 'session_required', 'Manage API keys from a signed-in session, not with an API key');
}

/** Another owner's key is as good as missing. */
async function ownKey(ownerId: string, keyId: string): Promise<ApiKeyDetails> {
  const key = await keyManagement().getApiKey(ownerId, keyId);
  if (!key) throw notFound('API key');
  return key;
}

function keyJson(key: ApiKeyDetails) {
  return {
    id: key.keyId,
    prefix: key.prefix,
    ...(key.label ? { label: key.label } : {}),
    status: key.status,
    allowedIps: key.allowedIps ?? [],
    createdAt: key.createdAt,
    ...(key.updatedAt ? { updatedAt: key.updatedAt } : {}),
    ...(key.lastUsedAt ? { lastUsedAt: key.lastUsedAt } : {}),
  };
}
