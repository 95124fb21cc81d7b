import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { StackError } from './errors.js';
import { processRef, type ServiceRecord } from './pids.js';

export { StackError } from './errors.js';

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** URL that answers 2xx once the service is ready. */
  healthUrl: string;
  /** Where output goes: `inherit` prefixes each line on our stdout; a path appends to that file. */
  output: 'inherit' | string;
  startTimeoutMs?: number;
  /** How long a stop waits after SIGTERM before SIGKILL (default 10 s). */
  stopGraceMs?: number;
  /** Where to record the service's pids for the next start (see pids.ts). */
  pidFile?: string;
}

export interface RunningService {
  name: string;
  /** The service's own pid (not its leash's), once it has started. */
  pid(): number | undefined;
  /** Resolves once the health URL answers; rejects if the service exits first or is too slow. */
  ready: Promise<void>;
  /** Resolves with the exit code when the process ends (for any reason). */
  exited: Promise<number | null>;
  /** The last lines it printed, for error messages. */
  tail(): string[];
  /** SIGTERM, SIGKILL after the grace; resolves once it is gone. */
  stop(): Promise<void>;
  /** SIGKILL to the service and everything it forked, now. */
  kill(): void;
}

const LEASH = fileURLToPath(new URL('./leash.mjs', import.meta.url));
const COLORS = [36, 35, 33, 32, 34];
let colorIndex = 0;

/** "exit code 1", or "killed by SIGKILL" for the leash's 128 + signal number. */
export function describeExit(code: number | null): string {
  const signal = code !== null && code > 128 ? Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/**
 * Spawns a service through the leash (leash.mjs), which runs it in its own process group and session
 * and ends it if this process dies. Returns at once; `ready` tells when it is healthy.
 */
export function launchService(spec: ServiceSpec): RunningService {
  const graceMs = spec.stopGraceMs ?? 10_000;
  const child = spawn(process.execPath, [LEASH, '--grace', String(graceMs), '--', spec.command, ...spec.args], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    // Own session and process group: a Ctrl-C or a closed terminal reaches only us, and we stop the
    // services in order. The IPC channel is the leash's lifeline to us.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const tail: string[] = [];
  const color = COLORS[colorIndex++ % COLORS.length];
  const file = spec.output === 'inherit' ? null : fs.createWriteStream(spec.output, { flags: 'a' });
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 30) tail.shift();
    }
    if (file) file.write(text);
    else {
      const prefix = process.stdout.isTTY ? `\x1b[${color}m${spec.name.padEnd(8)}\x1b[0m│ ` : `${spec.name.padEnd(8)}| `;
      process.stdout.write(text.split('\n').filter(Boolean).map((l) => prefix + l + '\n').join(''));
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  let servicePid: number | undefined;
  child.on('message', (message: { type?: string; pid?: number }) => {
    if (message?.type !== 'started' || !message.pid) return;
    servicePid = message.pid;
    const service = processRef(message.pid);
    const leash = processRef(child.pid!);
    if (spec.pidFile && service && leash) {
      fs.writeFileSync(spec.pidFile, JSON.stringify({ name: spec.name, service, leash } satisfies ServiceRecord));
    }
  });
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      done = true;
      file?.end();
      if (spec.pidFile) fs.rmSync(spec.pidFile, { force: true });
      resolve(code);
    });
    child.once('error', (err) => {
      done = true;
      tail.push(String(err));
      resolve(-1);
    });
  });

  const kill = () => {
    try {
      if (servicePid) process.kill(-servicePid, 'SIGKILL');
      // Not started yet: the leash still kills it the moment it spawns.
      else child.kill('SIGTERM');
    } catch {
      /* already gone */
    }
  };
  const stop = async () => {
    if (done) return;
    // The leash stops the service (SIGTERM, then SIGKILL after the grace) and then exits.
    child.kill('SIGTERM');
    const backstop = setTimeout(kill, graceMs + 5_000);
    await exited;
    clearTimeout(backstop);
  };

  const timeoutMs = spec.startTimeoutMs ?? 120_000;
  const ready = (async () => {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      if (done) throw new StackError(`${spec.name} exited before it was ready:\n  ${tail.slice(-12).join('\n  ')}`);
      if (Date.now() > deadline) {
        await stop();
        throw new StackError(`${spec.name} was not healthy at ${spec.healthUrl} within ${timeoutMs} ms:\n  ${tail.slice(-12).join('\n  ')}`);
      }
      try {
        const res = await fetch(spec.healthUrl, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  // Callers that only watch `exited` must not crash the process with an unhandled rejection.
  ready.catch(() => {});
  return { name: spec.name, pid: () => servicePid, ready, exited, tail: () => [...tail], stop, kill };
}

/** Launches a service and waits until its health URL answers (stopping it if it never does). */
export async function startService(spec: ServiceSpec): Promise<RunningService> {
  const service = launchService(spec);
  try {
    await service.ready;
  } catch (err) {
    await service.stop();
    throw err;
  }
  return service;
}
