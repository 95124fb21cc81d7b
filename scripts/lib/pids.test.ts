import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isRunning, processRef } from './pids';

describe('pid records', () => {
  it('know a live process by its pid and start time, and not a pid the system reused', () => {
    const me = processRef(process.pid)!;
    expect(me.start).toMatch(/\S/);
    expect(isRunning(me)).toBe(true);
    // Same pid, another start time: a different process that happens to have our old pid.
    expect(isRunning({ ...me, start: `${me.start}0` })).toBe(false);
  });

  it('find nothing for a process that ended', () => {
    const { pid } = spawnSync('true');
    expect(processRef(pid!)).toBeNull();
  });
});
