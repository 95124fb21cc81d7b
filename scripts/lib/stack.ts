import fs from 'node:fs';
import path from 'node:path';
import { CMS_DIR, PORTAL_DIR, ROOT } from './paths.js';
import { isPortFree } from './ports.js';
import { meilisearchArgs, meilisearchBinary } from './meilisearch.js';
import { StackError, startService, type RunningService } from './services.js';

export interface StackPorts {
  strapi: number;
  portal: number;
  meili: number;
  mailWeb: number;
  mailSmtp: number;
}

export interface StackOptions {
  dataDir: string;
  ports: StackPorts;
  /** Strapi secrets and MEILI_MASTER_KEY (see secrets.ts). */
  secrets: Record<string, string>;
  /** `inherit` prints prefixed logs; a directory gets one log file per service (tests). */
  output: 'inherit' | string;
  /** Extra environment for Strapi and the portal (DATABASE_URL, demo credentials, ...). */
  env?: NodeJS.ProcessEnv;
  /** Use this Meilisearch instead of starting the bundled one. */
  meiliUrl?: string;
  /** Skip the mail catcher (SMTP_HOST points elsewhere). */
  externalSmtp?: boolean;
}

export interface Stack {
  urls: { strapi: string; admin: string; portal: string; meili: string; mail: string | null };
  services: RunningService[];
  stop(): Promise<void>;
}

const NODE = process.execPath;
const bin = (pkg: string, file: string) => path.join(ROOT, 'node_modules', pkg, file);

/** Starts Meilisearch, the mail catcher, Strapi and the portal, each waited on until healthy. */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const { ports, dataDir } = opts;
  const wanted: [string, number][] = [
    ['Strapi (STRAPI_PORT)', ports.strapi],
    ['the portal (PORTAL_PORT)', ports.portal],
    ...(opts.meiliUrl ? [] : [['Meilisearch (MEILI_PORT)', ports.meili] as [string, number]]),
    ...(opts.externalSmtp
      ? []
      : ([['maildev web (MAILDEV_WEB_PORT)', ports.mailWeb], ['maildev SMTP (MAILDEV_SMTP_PORT)', ports.mailSmtp]] as [string, number][])),
  ];
  for (const [what, port] of wanted) {
    if (!(await isPortFree(port))) {
      throw new StackError(`Port ${port} for ${what} is taken. Stop what uses it or set that variable to another port.`);
    }
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const out = (name: string) => (opts.output === 'inherit' ? 'inherit' : path.join(opts.output, `${name}.log`));
  const services: RunningService[] = [];
  const stop = async () => {
    // Reverse order: the portal and Strapi go before what they depend on.
    for (const s of [...services].reverse()) await s.stop();
  };

  try {
    const meiliUrl = opts.meiliUrl ?? `http://127.0.0.1:${ports.meili}`;
    const early: Promise<RunningService>[] = [];
    if (!opts.meiliUrl) {
      early.push(
        startService({
          name: 'meili',
          command: meilisearchBinary(),
          args: meilisearchArgs({ dataDir: path.join(dataDir, 'meilisearch'), port: ports.meili, masterKey: opts.secrets.MEILI_MASTER_KEY! }),
          cwd: dataDir,
          healthUrl: `${meiliUrl}/health`,
          output: out('meilisearch'),
        })
      );
    }
    if (!opts.externalSmtp) {
      early.push(
        startService({
          name: 'mail',
          command: NODE,
          args: [bin('maildev', 'dist/bin/maildev.js'), '--smtp', String(ports.mailSmtp), '--web', String(ports.mailWeb), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1', '--mail-directory', path.join(dataDir, 'mail')],
          cwd: dataDir,
          healthUrl: `http://127.0.0.1:${ports.mailWeb}/api/healthz`,
          output: out('maildev'),
        })
      );
    }
    const settled = await Promise.allSettled(early);
    for (const s of settled) if (s.status === 'fulfilled') services.push(s.value);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;

    const strapiUrl = `http://127.0.0.1:${ports.strapi}`;
    const portalUrl = `http://localhost:${ports.portal}`;
    const shared = {
      ...opts.secrets,
      ...opts.env,
      MEILI_URL: meiliUrl,
      STRAPI_URL: strapiUrl,
      PORTAL_URL: opts.env?.PORTAL_URL ?? portalUrl,
      STRAPI_TELEMETRY_DISABLED: 'true',
      ASTRO_TELEMETRY_DISABLED: '1',
    };
    services.push(
      await startService({
        name: 'strapi',
        command: NODE,
        args: [bin('@strapi/strapi', 'bin/strapi.js'), 'start'],
        cwd: CMS_DIR,
        env: {
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: String(ports.strapi),
          DATABASE_FILENAME: path.join(dataDir, 'cms.db'),
          SMTP_HOST: opts.externalSmtp ? opts.env?.SMTP_HOST : '127.0.0.1',
          SMTP_PORT: opts.externalSmtp ? opts.env?.SMTP_PORT : String(ports.mailSmtp),
          ...shared,
        },
        healthUrl: `${strapiUrl}/_health`,
        output: out('strapi'),
        startTimeoutMs: 300_000,
      })
    );
    services.push(
      await startService({
        name: 'portal',
        command: NODE,
        args: [path.join(PORTAL_DIR, 'dist', 'server', 'entry.mjs')],
        cwd: PORTAL_DIR,
        env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(ports.portal), ...shared },
        healthUrl: `http://127.0.0.1:${ports.portal}/healthz`,
        output: out('portal'),
      })
    );
    return {
      urls: {
        strapi: strapiUrl,
        admin: `http://localhost:${ports.strapi}/admin`,
        portal: portalUrl,
        meili: meiliUrl,
        mail: opts.externalSmtp ? null : `http://localhost:${ports.mailWeb}`,
      },
      services,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
