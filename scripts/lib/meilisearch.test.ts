import { describe, expect, it } from 'vitest';
import { meilisearchArgs } from './meilisearch';

describe('meilisearchArgs', () => {
  it('passes a master key that starts with a dash as the value of --master-key, not as a flag', () => {
    const args = meilisearchArgs({ dataDir: '/tmp/meili', port: 7700, masterKey: '-_abc123' });
    expect(args).toContain('--master-key=-_abc123');
    expect(args).not.toContain('-_abc123');
    expect(args.slice(args.indexOf('--http-addr'), args.indexOf('--http-addr') + 2)).toEqual(['--http-addr', '127.0.0.1:7700']);
  });
});
