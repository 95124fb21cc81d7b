import type { Key } from 'meilisearch' with { 'resolution-mode': 'import' };
import type { SearchClient } from './client';

/** What tenant tokens always enforce: retracted collateral is never a search result. */
export const TOKEN_FILTER = 'standing != retracted';

export const searchKeyName = (indexName: string) => `candor-search:${indexName}`;

/**
 * Ensures one API key that may only `search`, only in our index, and returns it. Tenant tokens are
 * signed with it; the key itself never leaves the CMS. A key with the right name but other rights
 * (edited by hand) is replaced; duplicates from instances booting at once are removed.
 */
export async function ensureSearchKey(client: SearchClient): Promise<Key> {
  const name = searchKeyName(client.indexName);
  const keys = await client.call('list API keys', async (m) => {
    const all: Key[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await m.getKeys({ offset, limit: 100 });
      all.push(...page.results);
      if (page.results.length < 100) return all;
    }
  });
  const ours = keys.filter((k) => k.name === name).sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime());
  const valid = (k: Key) =>
    k.actions.length === 1 && k.actions[0] === 'search' && k.indexes.length === 1 && k.indexes[0] === client.indexName && k.expiresAt == null;
  const keep = ours.find(valid);
  for (const k of ours) if (k !== keep) await client.call(`delete API key ${k.uid}`, (m) => m.deleteKey(k.uid));
  if (keep) return keep;
  return client.call('create the search API key', (m) =>
    m.createKey({
      name,
      description: `Search only, index ${client.indexName}. Candor signs the portal's tenant tokens with it.`,
      actions: ['search'],
      indexes: [client.indexName],
      expiresAt: null,
    })
  );
}

/**
 * A tenant token: a JWT signed with the search key, valid for `ttlSeconds`, that can only search our
 * index and only sees documents matching TOKEN_FILTER, whatever filter the caller adds.
 */
export async function tenantToken(key: Key, indexName: string, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
  const { generateTenantToken } = await import('meilisearch/token');
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const token = await generateTenantToken({
    apiKey: key.key,
    apiKeyUid: key.uid,
    searchRules: { [indexName]: { filter: TOKEN_FILTER } },
    expiresAt,
  });
  return { token, expiresAt };
}
