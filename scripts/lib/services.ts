import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

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
}

export interface RunningService {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code when the process ends (for any reason). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** A failure a person can act on; the CLI prints only its message. */
export class StackError extends Error {
  override name = 'StackError';
}

const COLORS = [36, 35, 33, 32, 34];
let colorIndex = 0;

/** Spawns a service in its own process group and waits until its health URL answers. */
export async function startService(spec: ServiceSpec): Promise<RunningService> {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    // Own process group: stop() can end the whole tree (npm → node → workers) at once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
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
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      file?.end();
      resolve(code);
    });
    child.once('error', (err) => {
      tail.push(String(err));
      resolve(-1);
    });
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 10_000);
    await exited;
    clearTimeout(killer);
  };

  const deadline = Date.now() + (spec.startTimeoutMs ?? 120_000);
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  while (true) {
    if (exitedEarly) {
      throw new StackError(`${spec.name} exited before it was ready:\n  ${tail.slice(-12).join('\n  ')}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new StackError(`${spec.name} was not healthy at ${spec.healthUrl} within ${spec.startTimeoutMs ?? 120_000} ms:\n  ${tail.slice(-12).join('\n  ')}`);
    }
    try {
      const res = await fetch(spec.healthUrl, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { name: spec.name, child, exited, stop };
}
