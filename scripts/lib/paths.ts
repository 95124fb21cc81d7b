import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CMS_DIR = path.join(ROOT, 'cms');
export const PORTAL_DIR = path.join(ROOT, 'portal');
export const PLUGIN_DIR = path.join(ROOT, 'plugins', 'change-notices');
/** Everything the local stack keeps between runs: SQLite, Meilisearch data, dev secrets, uploads. */
export const DATA_DIR = path.resolve(ROOT, process.env.CANDOR_DATA_DIR ?? '.data');
