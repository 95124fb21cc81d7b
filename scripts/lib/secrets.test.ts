import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnvFile, resolveSecrets, SECRET_NAMES } from './secrets';

const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'candor-secrets-')), 'secrets.env');

describe('resolveSecrets', () => {
  it('generates every dev secret once and reuses it on the next start', () => {
    const file = tmpFile();
    const first = resolveSecrets(file, {});
    expect(Object.keys(first).sort()).toEqual([...SECRET_NAMES].sort());
    expect(first.APP_KEYS!.split(',')).toHaveLength(4);
    expect(first.MEILI_MASTER_KEY!.length).toBeGreaterThanOrEqual(16);
    expect(resolveSecrets(file, {})).toEqual(first);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it('lets the environment win over the file', () => {
    const file = tmpFile();
    resolveSecrets(file, {});
    expect(resolveSecrets(file, { JWT_SECRET: 'from-env' }).JWT_SECRET).toBe('from-env');
    expect(readEnvFile(file).JWT_SECRET).not.toBe('from-env');
  });

  it('refuses to invent secrets in production and names what is missing', () => {
    expect(() => resolveSecrets(tmpFile(), { NODE_ENV: 'production', APP_KEYS: 'a,b' })).toThrow(
      /Missing required secrets in production: ADMIN_JWT_SECRET, API_TOKEN_SALT, JWT_SECRET, TRANSFER_TOKEN_SALT, ENCRYPTION_KEY, MEILI_MASTER_KEY/
    );
  });
});
