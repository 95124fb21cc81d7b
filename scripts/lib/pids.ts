/**
 * Pid records of the local stack, kept in `<data dir>/pids/`: one file for the supervisor that owns
 * the data directory and one per service. The leash (leash.mjs) ends services when their supervisor
 * dies; these records are the second line, for when the leash itself was killed (kill -9 of the whole
 * tree, the OOM killer): the next start stops what an earlier one left running.
 *
 * A pid alone is not an identity (the system reuses pids), so every record carries the process's
 * start time and nothing is signalled unless the live process has the same one.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors.js';

/** A process as recorded: its pid and its start time. */
export interface ProcessRef {
  pid: number;
  start: string;
}

export interface ServiceRecord {
  name: string;
  /** The service, leader of its own process group. */
  service: ProcessRef;
  /** The leash that runs it. */
  leash: ProcessRef;
}

/** Start time and state of a live process, or null when there is none with that pid. */
function inspect(pid: number): { start: string; zombie: boolean } | null {
  try {
    if (process.platform === 'linux') {
      // Field 22 of /proc/<pid>/stat is the start time in clock ticks since boot. The command name
      // (field 2) may hold spaces and parentheses, so count from the last ')'.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return { start: fields[19]!, zombie: fields[0] === 'Z' || fields[0] === 'X' };
    }
    const [state, ...start] = execFileSync('ps', ['-o', 'stat=', '-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim().split(/\s+/);
    return state ? { start: start.join(' '), zombie: state.startsWith('Z') } : null;
  } catch {
    return null;
  }
}

/** The current identity of a pid, for a record; null if no such process runs. */
export function processRef(pid: number): ProcessRef | null {
  const found = inspect(pid);
  return found && !found.zombie ? { pid, start: found.start } : null;
}

/** True while the recorded process itself (not a later one with its pid) is alive. */
export function isRunning(ref: ProcessRef): boolean {
  const found = inspect(ref.pid);
  return Boolean(found && !found.zombie && found.start === ref.start);
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

const SUPERVISOR = 'supervisor.json';
export const pidsDir = (dataDir: string) => path.join(dataDir, 'pids');
export const servicePidFile = (dataDir: string, name: string) => path.join(pidsDir(dataDir), `${name}.json`);

const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone already */
  }
};

/** Throws when another live supervisor owns `dataDir` (`npm start` checks this before it builds). */
export function assertDataDirFree(dataDir: string): void {
  const owner = readJson<ProcessRef>(path.join(pidsDir(dataDir), SUPERVISOR));
  if (owner && owner.pid !== process.pid && isRunning(owner)) {
    throw new StackError(`Candor is already running on ${dataDir} (pid ${owner.pid}). Stop it first (Ctrl-C in its terminal, or kill ${owner.pid}).`);
  }
}

/**
 * Makes this process the owner of `dataDir`: refuses when another live supervisor owns it, stops the
 * services a dead one left behind (SIGTERM, SIGKILL after `graceMs`), then records this process.
 * Returns the function that gives the directory up again.
 */
export async function claimDataDir(dataDir: string, opts: { graceMs?: number; log?: (line: string) => void } = {}): Promise<() => void> {
  assertDataDirFree(dataDir);
  const dir = pidsDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const leftovers = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== SUPERVISOR)
    .map((f) => ({ file: path.join(dir, f), record: readJson<ServiceRecord>(path.join(dir, f)) }));
  const alive = (r: ServiceRecord | null) => [r?.service, r?.leash].filter((p): p is ProcessRef => Boolean(p && isRunning(p)));
  for (const { record } of leftovers) {
    for (const ref of alive(record)) {
      opts.log?.(`${record!.name} (pid ${ref.pid}) was left running by an earlier start that died; stopping it.`);
      // The service leads its own process group: take along whatever it forked.
      signal(ref === record!.service ? -ref.pid : ref.pid, 'SIGTERM');
    }
  }
  const deadline = Date.now() + (opts.graceMs ?? 10_000);
  while (leftovers.some(({ record }) => alive(record).length) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const { record } of leftovers) for (const ref of alive(record)) signal(ref === record!.service ? -ref.pid : ref.pid, 'SIGKILL');
  // SIGKILL is not instant either: wait until the ports are let go.
  while (leftovers.some(({ record }) => alive(record).length) && Date.now() < deadline + 5000) await new Promise((r) => setTimeout(r, 50));
  for (const { file } of leftovers) fs.rmSync(file, { force: true });

  const me = processRef(process.pid)!;
  fs.writeFileSync(path.join(dir, SUPERVISOR), JSON.stringify(me));
  return () => {
    if (readJson<ProcessRef>(path.join(dir, SUPERVISOR))?.pid === me.pid) fs.rmSync(path.join(dir, SUPERVISOR), { force: true });
  };
}
