import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CMS_DIR, PLUGIN_DIR, PORTAL_DIR, ROOT } from './paths.js';
import { run } from './run.js';

const NODE = process.execPath;
const bin = (pkg: string, file: string) => path.join(ROOT, 'node_modules', pkg, file);

function hashTree(paths: string[]): string {
  const hash = crypto.createHash('sha256');
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) if (entry !== 'node_modules' && entry !== 'dist') walk(path.join(p, entry));
    } else {
      hash.update(path.relative(ROOT, p));
      hash.update(fs.readFileSync(p));
    }
  };
  paths.forEach(walk);
  return hash.digest('hex');
}

export interface BuildOptions {
  /** Build the Strapi admin panel (needed by `npm start` and the e2e tests, not by the others). */
  admin: boolean;
  portal: boolean;
}

/** Builds what the stack runs from: the plugin, the CMS server (and admin), the portal. */
export async function buildAll(opts: BuildOptions): Promise<void> {
  const env = { STRAPI_TELEMETRY_DISABLED: 'true', ASTRO_TELEMETRY_DISABLED: '1' };
  await run(NODE, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: PLUGIN_DIR, env, label: 'Building the change-notices plugin' });

  // The admin build takes ~30 s and 2 GB: redo it only when what goes into it changed.
  const stampFile = path.join(CMS_DIR, 'dist', 'build', '.candor-stamp');
  const stamp = hashTree([
    path.join(CMS_DIR, 'src', 'admin'),
    path.join(CMS_DIR, 'package.json'),
    // The admin's settings and the list of plugins (whose admin parts it bundles) are read at build time.
    path.join(CMS_DIR, 'config', 'admin.ts'),
    path.join(CMS_DIR, 'config', 'plugins.ts'),
    path.join(PLUGIN_DIR, 'admin'),
    // The admin bundle imports the shared contracts too.
    path.join(PLUGIN_DIR, 'src', 'shared'),
    path.join(PLUGIN_DIR, 'package.json'),
    path.join(ROOT, 'package-lock.json'),
  ]);
  const adminFresh = fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp;
  if (opts.admin && !adminFresh) {
    await run(NODE, [bin('@strapi/strapi', 'bin/strapi.js'), 'build'], { cwd: CMS_DIR, env: { ...env, NODE_ENV: 'production' }, label: 'Building the Strapi admin' });
    fs.writeFileSync(stampFile, stamp);
  } else {
    await run(NODE, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json'], { cwd: CMS_DIR, env, label: 'Compiling the CMS' });
  }
  if (opts.portal) {
    await run(NODE, [bin('astro', 'bin/astro.mjs'), 'build'], { cwd: PORTAL_DIR, env, label: 'Building the portal' });
  }
}
