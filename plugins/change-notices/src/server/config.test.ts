import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENV, configFromEnv, parseConfig } from './config';

/** The README's configuration table: each row's variables and their defaults, in order. */
function readmeRows(): { vars: string[]; defaults: string }[] {
  const readme = fs.readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'));
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const [vars = '', defaults = ''] = l.split(' | ');
      return { vars: [...vars.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!), defaults: defaults.trim() };
    });
}

const valueAt = (obj: unknown, p: readonly string[]): unknown => p.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj);

describe('plugin config', () => {
  it('holds every default itself: an empty environment parses', () => {
    const config = parseConfig(configFromEnv({}));
    expect(config).toMatchObject({ portalUrl: 'http://localhost:4321', dispatcher: { enabled: true, pollMs: 250 }, search: { url: null, indexName: 'collateral' } });
  });

  it('reads each variable from the environment, typed', () => {
    const config = parseConfig(
      configFromEnv({ NOTICES_POLL_MS: '250', NOTICES_DISPATCHER: 'false', SEARCH_RECONCILE_AT_BOOT: 'false', PORTAL_URL: 'https://portal.example/', PORT: '1400', SLACK_WEBHOOK_URL: 'https://hooks.example/s' })
    );
    expect(config.dispatcher).toMatchObject({ pollMs: 250, enabled: false });
    expect(config.search.reconcileAtBoot).toBe(false);
    // One place strips the trailing slash, so nobody else has to.
    expect(config.portalUrl).toBe('https://portal.example');
    expect(config.publicUrl).toBe('http://localhost:1400');
    expect(config.slack).toEqual([{ name: 'slack', url: 'https://hooks.example/s' }]);
  });

  it('stops a bad config with the field and the reason', () => {
    expect(() => parseConfig(configFromEnv({ NOTICES_POLL_MS: 'soon' }))).toThrow(/dispatcher\.pollMs/);
    expect(() => parseConfig(configFromEnv({ MEILI_URL: 'http://127.0.0.1:7700' }))).toThrow(/MEILI_MASTER_KEY/);
    expect(() => parseConfig({ unknown: 1 })).toThrow(/Invalid change-notices config/);
  });

  it('matches the README configuration table: every variable is documented with its default', () => {
    const rows = readmeRows();
    const defaults = parseConfig({});
    for (const entry of CONFIG_ENV) {
      const row = rows.find((r) => r.vars.includes(entry.name));
      expect(row, `${entry.name} is missing from the README's configuration table`).toBeDefined();
      const value = valueAt(defaults, entry.path);
      // A row documents several variables with comma-separated defaults in the same order.
      const cells = row!.defaults.split(/,\s*/);
      const cell = cells.length === row!.vars.length ? cells[row!.vars.indexOf(entry.name)]! : row!.defaults;
      // The cell may add how `npm start` sets it, after the default: "0 (`npm start` workers: 10)".
      if (typeof value === 'number' || typeof value === 'boolean') expect(cell.replace(/`/g, '').split(' ')[0], entry.name).toBe(String(value));
      else if (typeof value === 'string' && entry.name !== 'PUBLIC_URL') expect(cell, entry.name).toContain(value);
    }
  });
});
