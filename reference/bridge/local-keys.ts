/**
 * With `STK_PASETO_KEYS` set, the Bridge derives each env's token keys
 * itself (shared/tokens.ts) instead of asking the Hub. Only names that can
 * be real projects/envs get keys, so tokens signed for the Hub's reserved
 * operator context never verify here.
 */
import { parsePasetoKeys } from '../shared/paseto-keys.ts';
import { deriveAccessKeys } from '../shared/tokens.ts';
import type { HubClient } from './hub-client.ts';

const NAME = /^[a-z][a-z0-9_-]{0,62}$/;

export function withLocalKeys(hub: HubClient, pasetoKeys: string): HubClient {
  const secrets = parsePasetoKeys(pasetoKeys);
  return {
    currentRelease: (project, env, patience) => hub.currentRelease(project, env, patience),
    releaseById: (releaseId, patience) => hub.releaseById(releaseId, patience),
    verifyApiKey: (keyId, secret, patience) => hub.verifyApiKey(keyId, secret, patience),
    ping: () => hub.ping(),
    signingKeys: async (project, env) =>
      NAME.test(project) && NAME.test(env) ? deriveAccessKeys(secrets, project, env) : [],
  };
}
