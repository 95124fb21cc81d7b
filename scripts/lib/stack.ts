import fs from 'node:fs';
import path from 'node:path';
import { CMS_DIR, PORTAL_DIR, ROOT } from './paths.js';
import { claimDataDir, servicePidFile } from './pids.js';
import { isPortFree } from './ports.js';
import { meilisearchArgs, meilisearchBinary } from './meilisearch.js';
import { describeExit, launchService, StackError, type RunningService, type ServiceSpec } from './services.js';

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
  /**
   * Outbox worker processes beside the web Strapi (CANDOR_WORKERS, default 1). 0 runs the dispatcher
   * inside the web process, as a single-process deployment would.
   */
  workers?: number;
}

/** One process of the stack: how to run it, the ports it needs free, and what must be healthy first. */
export interface StackService {
  spec: Omit<ServiceSpec, 'output' | 'pidFile'>;
  ports: { what: string; port: number }[];
  after: string[];
}

export interface Stack {
  urls: { strapi: string; admin: string; portal: string; meili: string; mail: string | null };
  /** The services launched so far, in launch order. */
  services: RunningService[];
  /** Resolves when every service is healthy; on a failure the stack stops itself and it rejects. */
  ready: Promise<void>;
  /** Resolves when a service that was healthy exits without being asked to. */
  crashed: Promise<{ name: string; code: number | null }>;
  /** Stops every service, last launched first (the portal and Strapi before what they depend on). */
  stop(): Promise<void>;
  /** SIGKILL to every service now (a second Ctrl-C). */
  kill(): void;
}

const NODE = process.execPath;
const bin = (pkg: string, file: string) => path.join(ROOT, 'node_modules', pkg, file);

export function stackUrls(opts: StackOptions): Stack['urls'] {
  const { ports } = opts;
  return {
    strapi: `http://127.0.0.1:${ports.strapi}`,
    admin: `http://localhost:${ports.strapi}/admin`,
    portal: `http://localhost:${ports.portal}`,
    meili: opts.meiliUrl ?? `http://127.0.0.1:${ports.meili}`,
    mail: opts.externalSmtp ? null : `http://localhost:${ports.mailWeb}`,
  };
}

/**
 * The processes of the local stack. Adding one is one entry here: the launcher starts each entry once
 * those in `after` are healthy and stops them in reverse.
 */
export function stackServices(opts: StackOptions): StackService[] {
  const { ports, dataDir } = opts;
  const urls = stackUrls(opts);
  const shared = {
    ...opts.secrets,
    ...opts.env,
    MEILI_URL: urls.meili,
    STRAPI_URL: urls.strapi,
    PORTAL_URL: opts.env?.PORTAL_URL ?? urls.portal,
    STRAPI_TELEMETRY_DISABLED: 'true',
    ASTRO_TELEMETRY_DISABLED: '1',
  };
  const services: StackService[] = [];
  if (!opts.meiliUrl) {
    services.push({
      spec: {
        name: 'meili',
        command: meilisearchBinary(),
        args: meilisearchArgs({ dataDir: path.join(dataDir, 'meilisearch'), port: ports.meili, masterKey: opts.secrets.MEILI_MASTER_KEY! }),
        cwd: dataDir,
        healthUrl: `${urls.meili}/health`,
      },
      ports: [{ what: 'Meilisearch (MEILI_PORT)', port: ports.meili }],
      after: [],
    });
  }
  if (!opts.externalSmtp) {
    services.push({
      spec: {
        name: 'mail',
        command: NODE,
        args: [bin('maildev', 'dist/bin/maildev.js'), '--smtp', String(ports.mailSmtp), '--web', String(ports.mailWeb), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1', '--mail-directory', path.join(dataDir, 'mail')],
        cwd: dataDir,
        healthUrl: `http://127.0.0.1:${ports.mailWeb}/api/healthz`,
      },
      ports: [
        { what: 'maildev web (MAILDEV_WEB_PORT)', port: ports.mailWeb },
        { what: 'maildev SMTP (MAILDEV_SMTP_PORT)', port: ports.mailSmtp },
      ],
      after: [],
    });
  }
  const workers = opts.workers ?? 1;
  const strapiEnv = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_FILENAME: path.join(dataDir, 'cms.db'),
    // Private: outside anything Strapi serves (cms/src/files).
    UPLOADS_DIR: path.join(dataDir, 'uploads'),
    SMTP_HOST: opts.externalSmtp ? opts.env?.SMTP_HOST : '127.0.0.1',
    SMTP_PORT: opts.externalSmtp ? opts.env?.SMTP_PORT : String(ports.mailSmtp),
    ...shared,
  };
  const strapiCommand = { command: NODE, args: [bin('@strapi/strapi', 'bin/strapi.js'), 'start'], cwd: CMS_DIR, startTimeoutMs: 300_000 };
  // The web Strapi serves the admin and the API; with workers beside it, it sends nothing itself, so
  // a fan-out of 10,000 emails never competes with a rep's page for this process.
  services.push({
    spec: {
      name: 'strapi',
      ...strapiCommand,
      env: { ...strapiEnv, PORT: String(ports.strapi), ...(workers > 0 ? { NOTICES_DISPATCHER: 'false', CRON_ENABLED: 'false', SEARCH_RECONCILE_AT_BOOT: 'false' } : {}) },
      healthUrl: `${urls.strapi}/_health`,
    },
    ports: [{ what: 'Strapi (STRAPI_PORT)', port: ports.strapi }],
    after: services.map((s) => s.spec.name),
  });
  for (let i = 0; i < workers; i++) {
    const port = ports.strapi + 10 + i;
    // A worker is the same app with the dispatcher on, at a lower CPU priority; its port (127.0.0.1
    // only) answers health checks. It starts after the web one, which migrates and seeds first.
    services.push({
      spec: {
        name: workers === 1 ? 'worker' : `worker-${i + 1}`,
        ...strapiCommand,
        env: {
          ...strapiEnv,
          PORT: String(port),
          CANDOR_DEMO_CONTENT: 'false',
          NOTICES_DISPATCHER: 'true',
          NOTICES_WORKER_NICE: opts.env?.NOTICES_WORKER_NICE ?? '10',
          // One worker runs the scheduled jobs and the boot reconcile; the others only drain the outbox.
          CRON_ENABLED: i === 0 ? (opts.env?.CRON_ENABLED ?? 'true') : 'false',
          SEARCH_RECONCILE_AT_BOOT: i === 0 ? 'true' : 'false',
        },
        healthUrl: `http://127.0.0.1:${port}/_health`,
      },
      ports: [{ what: `outbox worker ${i + 1} (STRAPI_PORT + ${10 + i})`, port }],
      after: ['strapi'],
    });
  }
  services.push({
    spec: {
      name: 'portal',
      command: NODE,
      args: [path.join(PORTAL_DIR, 'dist', 'server', 'entry.mjs')],
      cwd: PORTAL_DIR,
      env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(ports.portal), ...shared },
      healthUrl: `http://127.0.0.1:${ports.portal}/healthz`,
    },
    ports: [{ what: 'the portal (PORTAL_PORT)', port: ports.portal }],
    after: ['strapi'],
  });
  return services;
}

/**
 * Launches the stack (by default every service of `stackServices`) and returns at once: `ready`
 * says when it is up, and `stop`/`kill` work at any moment, also halfway through the start.
 * The data directory is claimed first (pids.ts): a second start on it is refused, and what a dead
 * earlier start left running is stopped.
 */
export function launchStack(opts: StackOptions, services: StackService[] = stackServices(opts)): Stack {
  const running: RunningService[] = [];
  let stopping = false;
  let release: (() => void) | undefined;
  let reportCrash!: (crash: { name: string; code: number | null }) => void;
  const crashed = new Promise<{ name: string; code: number | null }>((resolve) => (reportCrash = resolve));

  const launch = (entry: StackService) => {
    const { name } = entry.spec;
    const output = opts.output === 'inherit' ? 'inherit' : path.join(opts.output, `${name}.log`);
    const service = launchService({ ...entry.spec, output, pidFile: servicePidFile(opts.dataDir, name) });
    running.push(service);
    let healthy = false;
    void service.ready.then(() => (healthy = true));
    // An exit before it was healthy rejects its `ready` with its last lines instead.
    void service.exited.then((code) => healthy && !stopping && reportCrash({ name, code }));
    return service.ready;
  };

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      for (const s of [...running].reverse()) await s.stop();
      release?.();
    })());
  const kill = () => {
    stopping = true;
    for (const s of running) s.kill();
  };

  const ready = (async () => {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    // First, so that the ports a dead earlier start held are free again before we check them.
    release = await claimDataDir(opts.dataDir, { log: (line) => console.log(`candor: ${line}`) });
    if (stopping) {
      // stop() ran while we were claiming and found nothing to release yet.
      release();
      throw new StackError('Stopped before it was up.');
    }
    for (const { what, port } of services.flatMap((s) => s.ports)) {
      if (!(await isPortFree(port))) {
        throw new StackError(`Port ${port} for ${what} is taken. Stop what uses it or set that variable to another port.`);
      }
    }
    const healthy = new Map<string, Promise<void>>();
    for (const entry of services) {
      const deps = entry.after.map((name) => healthy.get(name)).filter((p) => p !== undefined);
      const up = Promise.all(deps).then(() => {
        if (stopping) throw new StackError('Stopped before it was up.');
        return launch(entry);
      });
      up.catch(() => {});
      healthy.set(entry.spec.name, up);
    }
    const crashedWhileStarting = crashed.then(({ name, code }) => {
      throw new StackError(`${name} exited (${describeExit(code)}) while the rest was starting.`);
    });
    crashedWhileStarting.catch(() => {});
    await Promise.race([Promise.all(healthy.values()), crashedWhileStarting]);
  })().catch(async (err) => {
    await stop();
    throw err;
  });
  ready.catch(() => {});

  return { urls: stackUrls(opts), services: running, ready, crashed, stop, kill };
}

/** Launches the stack and waits until it is up (the e2e tests' entry). */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const stack = launchStack(opts);
  await stack.ready;
  return stack;
}
