/**
 * No orphans: the supervisor of `npm start`, run as its own process with the real Meilisearch binary
 * and the real maildev (scripts/test/supervisor-fixture.ts), on free ports and a temporary data
 * directory. Whatever ends it, no service may outlive it, and the next start must come up on the
 * same data. It sits in the unit project because it needs no build and no Strapi: about 20–30 s.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './paths';
import { isRunning, pidsDir, processRef, servicePidFile, type ServiceRecord } from './pids';
import { freePort, isPortFree } from './ports';
import { readEnvFile } from './secrets';

const FIXTURE = path.join(ROOT, 'scripts', 'test', 'supervisor-fixture.ts');

interface Supervisor {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const started: Supervisor[] = [];
const dirs: string[] = [];

async function setup() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-supervise-'));
  dirs.push(dataDir);
  const ports = { MEILI_PORT: await freePort(), MAILDEV_WEB_PORT: await freePort(), MAILDEV_SMTP_PORT: await freePort() };
  return { dataDir, ports };
}

function startSupervisor(dataDir: string, ports: Record<string, number>): Supervisor {
  const env = { ...process.env, CANDOR_DATA_DIR: dataDir, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const supervisor = { child, output: () => output, exited };
  started.push(supervisor);
  return supervisor;
}

async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs: number, output?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${output ? `; output:\n${output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function up(s: Supervisor) {
  let code: number | null | undefined;
  void s.exited.then((c) => (code = c));
  await waitFor('the supervisor to be up', () => {
    if (code !== undefined) throw new Error(`The supervisor exited (code ${code}) before it was up:\n${s.output()}`);
    return s.output().includes('fixture: up');
  }, 30_000, s.output);
}

/** Every live process below `pid` (leashes, services, what they forked). */
function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, ppid] of table) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found.filter((p) => processRef(p));
}

const record = (dataDir: string, name: string): ServiceRecord => JSON.parse(fs.readFileSync(servicePidFile(dataDir, name), 'utf8'));
const alive = (pids: number[]) => pids.filter((p) => processRef(p));
const allPortsFree = async (ports: Record<string, number>) => (await Promise.all(Object.values(ports).map((p) => isPortFree(p)))).every(Boolean);

function meili(dataDir: string, port: number) {
  const key = readEnvFile(path.join(dataDir, 'secrets.env')).MEILI_MASTER_KEY!;
  return (pathname: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${port}${pathname}`, { ...init, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' } });
}

afterEach(async () => {
  // A failed assertion must not leave services behind either.
  for (const s of started.splice(0)) {
    const pids = descendants(s.child.pid!);
    s.child.kill('SIGKILL');
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await s.exited;
  }
  for (const dir of dirs.splice(0)) {
    // Orphans are nobody's descendants any more: find them by their records.
    for (const file of fs.existsSync(pidsDir(dir)) ? fs.readdirSync(pidsDir(dir)) : []) {
      const { service } = JSON.parse(fs.readFileSync(path.join(pidsDir(dir), file), 'utf8')) as Partial<ServiceRecord>;
      if (service && isRunning(service)) process.kill(-service.pid, 'SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('npm start supervisor', () => {
  it('leaves nothing running when it is SIGKILLed, and the next start comes up on the same data', async () => {
    const { dataDir, ports } = await setup();
    const first = startSupervisor(dataDir, ports);
    await up(first);
    const api = meili(dataDir, ports.MEILI_PORT);
    const task = await (await api('/indexes/survivors/documents', { method: 'POST', body: JSON.stringify([{ id: 1, name: 'kept across a SIGKILL' }]) })).json();
    await waitFor('the document to be indexed', async () => (await (await api(`/tasks/${task.taskUid}`)).json()).status === 'succeeded', 10_000);

    const pids = descendants(first.child.pid!);
    const services = [record(dataDir, 'meili'), record(dataDir, 'mail')];
    // Two leashes and their two services, all recorded.
    expect(pids.length).toBeGreaterThanOrEqual(4);
    expect(pids).toEqual(expect.arrayContaining(services.flatMap((r) => [r.service.pid, r.leash.pid])));

    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await waitFor('every service to end', () => alive(pids).length === 0, 10_000);
    await waitFor('the ports to be free', () => allPortsFree(ports), 5_000);
    const cleanupMs = Date.now() - killedAt;
    console.log(`after SIGKILL of the supervisor: ${pids.length} processes gone and ports free in ${cleanupMs} ms`);
    expect(cleanupMs).toBeLessThan(5_000);

    const second = startSupervisor(dataDir, ports);
    await up(second);
    const doc = await api('/indexes/survivors/documents/1');
    expect(doc.status).toBe(200);
    expect(await doc.json()).toMatchObject({ name: 'kept across a SIGKILL' });

    // A closed terminal (SIGHUP) stops everything in order and exits 0.
    const secondPids = descendants(second.child.pid!);
    second.child.kill('SIGHUP');
    expect(await second.exited).toBe(0);
    expect(alive(secondPids)).toEqual([]);
    expect(await allPortsFree(ports)).toBe(true);
    expect(fs.readdirSync(pidsDir(dataDir))).toEqual([]);
  }, 90_000);

  it('stops the rest and exits 1 naming the service when one dies', async () => {
    const { dataDir, ports } = await setup();
    const supervisor = startSupervisor(dataDir, ports);
    await up(supervisor);
    const pids = descendants(supervisor.child.pid!);
    process.kill(record(dataDir, 'mail').service.pid, 'SIGKILL');
    expect(await supervisor.exited).toBe(1);
    expect(supervisor.output()).toMatch(/mail exited unexpectedly \(killed by SIGKILL\); stopping the rest/);
    expect(alive(pids)).toEqual([]);
    expect(await allPortsFree(ports)).toBe(true);
  }, 60_000);

  it('stops what a dead earlier start left running (leashes killed too), checking the pids are its own', async () => {
    const { dataDir, ports } = await setup();
    const first = startSupervisor(dataDir, ports);
    await up(first);
    const records = [record(dataDir, 'meili'), record(dataDir, 'mail')];
    // kill -9 of the supervisor and the leashes together: nothing is left to stop the services.
    for (const pid of [first.child.pid!, ...records.map((r) => r.leash.pid)]) process.kill(pid, 'SIGKILL');
    await first.exited;
    const orphans = records.map((r) => r.service.pid);
    await new Promise((r) => setTimeout(r, 500));
    expect(alive(orphans)).toEqual(orphans);

    const second = startSupervisor(dataDir, ports);
    await up(second);
    expect(second.output()).toMatch(/meili \(pid \d+\) was left running by an earlier start that died; stopping it/);
    expect(second.output()).toMatch(/mail \(pid \d+\) was left running by an earlier start that died; stopping it/);
    expect(alive(orphans)).toEqual([]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);

  it('refuses a second start on a data directory in use and leaves the first alone', async () => {
    const { dataDir, ports } = await setup();
    const first = startSupervisor(dataDir, ports);
    await up(first);
    const pids = descendants(first.child.pid!);
    const other = (await setup()).ports;
    const second = startSupervisor(dataDir, other);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`Candor is already running on ${dataDir} (pid ${first.child.pid})`);
    expect(alive(pids)).toEqual(pids);
    expect((await meili(dataDir, ports.MEILI_PORT)('/health')).ok).toBe(true);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(alive(pids)).toEqual([]);
  }, 60_000);
});
