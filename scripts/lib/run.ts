import { spawn } from 'node:child_process';
import { StackError } from './services.js';

/** Runs a command to completion with inherited output; a non-zero exit becomes a StackError. */
export function run(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; label: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: 'inherit' });
    child.once('error', (err) => reject(new StackError(`${opts.label} could not start: ${err.message}`)));
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new StackError(`${opts.label} failed (${signal ?? `exit code ${code}`}); see the output above.`))
    );
  });
}

/** Prints a StackError as one line (no stack trace) and exits; anything else is a bug and keeps its trace. */
export function exitWith(err: unknown): never {
  if (err instanceof StackError) console.error(`\ncandor: ${err.message}`);
  else console.error(err);
  process.exit(1);
}

export function assertNodeVersion() {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major < 22 || (major === 22 && minor < 12)) {
    throw new StackError(`Node ${process.versions.node} is too old: Candor needs Node 22.12 or newer (24 LTS recommended, see .nvmrc).`);
  }
}
