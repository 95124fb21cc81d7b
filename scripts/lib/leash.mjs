// @ts-check
/**
 * The leash: runs one service of the local stack and ends it when the supervisor ends, however the
 * supervisor ends (Ctrl-C, a closed terminal, SIGKILL, the OOM killer, a crash).
 *
 *   node leash.mjs --grace <ms> -- <command> [args...]      (spawned with an IPC channel)
 *
 * Why a wrapper: services run in their own process group and session, so that a Ctrl-C or a closed
 * terminal reaches only the supervisor, which stops them in order; the price is that nothing ends
 * them when the supervisor itself dies. The kernel closes the supervisor's end of the IPC socket
 * whenever the supervisor process goes, for any reason, and the leash sees `disconnect` at once.
 * The alternatives are weaker: PR_SET_PDEATHSIG needs native code (or util-linux `setpriv`, Linux
 * only) and reaches only the direct child, not what it forks; a watchdog polling pids has a window
 * and can kill a pid the system reused. Plain JS, not TypeScript: it starts without a loader.
 *
 * - SIGTERM, SIGINT, SIGHUP or the channel closing: SIGTERM to the service's process group, SIGKILL
 *   after the grace; a second request kills at once.
 * - Sends `{ type: 'started', pid }` so the supervisor can record the service for the next start.
 * - Exits with the service's exit code, or 128 + the signal number when a signal ended it.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { grace: { type: 'string', default: '10000' } }, allowPositionals: true });
const [command, ...args] = positionals;
const graceMs = Number(values.grace);
if (!command || !process.send || !Number.isFinite(graceMs)) {
  console.error('usage: node leash.mjs --grace <ms> -- <command> [args...] (spawned with an IPC channel)');
  process.exit(2);
}
// Once the supervisor is gone, so are the pipes behind our stdout and stderr: a write error there
// must not end the leash before its service.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

// Its own group, so the leash can signal the service and everything it forks without signalling itself.
const service = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });

/** @param {NodeJS.Signals} signal */
const signalService = (signal) => {
  try {
    if (service.pid) process.kill(-service.pid, signal);
  } catch {
    /* the group is already gone */
  }
};

let stopping = false;
/** @type {NodeJS.Timeout | undefined} */
let killTimer;
const stop = () => {
  if (stopping) return signalService('SIGKILL');
  stopping = true;
  signalService('SIGTERM');
  killTimer = setTimeout(() => signalService('SIGKILL'), graceMs);
};
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT', 'SIGHUP'])) process.on(signal, stop);
process.on('disconnect', stop);

service.once('spawn', () => {
  if (process.connected) process.send?.({ type: 'started', pid: service.pid });
  // The supervisor died before the service even started.
  else stop();
});
service.once('error', (err) => {
  console.error(`${command} could not start: ${err.message}`);
  process.exit(127);
});
service.once('exit', (code, signal) => {
  clearTimeout(killTimer);
  // Whatever the service forked and left behind in its group goes with it.
  signalService('SIGKILL');
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
});
