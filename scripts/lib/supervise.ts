import { exitWith } from './run.js';
import { describeExit } from './services.js';
import type { Stack } from './stack.js';

/**
 * Runs `npm start`'s stack until something ends it, and never leaves a service behind:
 * - SIGINT (Ctrl-C), SIGTERM, SIGHUP (the terminal closed), or our parent process dying: stop every
 *   service in order and exit 0; a second signal kills them at once.
 * - A service that dies by itself: stop the rest and exit 1 naming it.
 * - A failed start: stop what started, print the reason, exit 1.
 * - This process being SIGKILLed: each service's leash (leash.mjs) sees its channel close and stops it.
 */
export function supervise(stack: Stack, opts: { onUp(): void }): void {
  // With the terminal gone (SIGHUP), writing to it fails: that must not cut the stop short.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});

  let stopping = false;
  const finish = async (code: number, message?: string) => {
    if (stopping) return;
    stopping = true;
    if (message) console.error(`\ncandor: ${message}`);
    await stack.stop();
    process.exit(code);
  };
  let firstSignalAt = 0;
  const onSignal = (reason: string) => {
    if (!stopping) {
      firstSignalAt = Date.now();
      console.log(`\ncandor: ${reason}; stopping… (Ctrl-C again to kill at once)`);
      void finish(0);
    } else if (Date.now() - firstSignalAt < 1000) {
      // One Ctrl-C arrives twice within milliseconds: the terminal signals the whole process group,
      // npm included, and npm forwards SIGINT and SIGTERM to its script, which is us.
      return;
    } else {
      console.log(`\ncandor: ${reason} again; killing every service now.`);
      stack.kill();
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));
  // Our parent is npm (package.json `exec`s us). If it goes without a word (kill -9 of npm), we are
  // reparented, and stop rather than run on unseen. A closed terminal takes npm with it while we are
  // already stopping: that is no second signal.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && !stopping && onSignal(`parent process ${parent} is gone`), 1000).unref();

  stack.ready.then(
    () => {
      if (stopping) return;
      opts.onUp();
      void stack.crashed.then(({ name, code }) => finish(1, `${name} exited unexpectedly (${describeExit(code)}); stopping the rest. Its log is above.`));
    },
    // The stack has already stopped itself; a stop we asked for is no failure.
    (err) => (stopping ? undefined : exitWith(err))
  );
}
