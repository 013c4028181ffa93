import { describe, expect, it } from 'vitest';
import { containerHealth, statusFromHealth } from './container-status';
import { ContainerInspect } from './engine-schemas';

const NOW = Date.parse('2026-01-10T12:00:00Z');

function container(state: Record<string, unknown>, restarts = 0) {
  return ContainerInspect.parse({
    Id: 'abc',
    RestartCount: restarts,
    State: {
      Status: 'running',
      Running: true,
      Pid: 4242,
      StartedAt: '2026-01-10T11:00:00Z',
      ...state,
    },
  });
}

describe('containerHealth', () => {
  it('is running with the main pid when the container runs', () => {
    expect(containerHealth(container({}), NOW)).toEqual({ kind: 'running', pid: 4242 });
  });

  it('is failing right after the engine restarted a crashed container', () => {
    const restarted = container({ StartedAt: '2026-01-10T11:59:59Z' }, 3);
    expect(containerHealth(restarted, NOW)).toEqual({
      kind: 'failing',
      what: "Odoo's container exited and was restarted by the engine 3 times",
    });
  });

  it('is running again once a restarted container has stayed up', () => {
    expect(containerHealth(container({}, 1), NOW)).toEqual({ kind: 'running', pid: 4242 });
  });

  it('says how a container exited, with an out-of-memory kill', () => {
    const exited = container({ Status: 'exited', Running: false, ExitCode: 137, OOMKilled: true });
    expect(containerHealth(exited, NOW)).toEqual({
      kind: 'failing',
      what: "Odoo's container exited with status 137, killed for exceeding its memory limit",
    });
    const restarting = container({ Status: 'restarting', Restarting: true, ExitCode: 1 });
    expect(containerHealth(restarting, NOW)).toEqual({
      kind: 'failing',
      what: "Odoo's container exited with status 1 and the engine is restarting it",
    });
  });

  it('adds the last output lines to the reason of an error', () => {
    const failing = { kind: 'failing', what: "Odoo's container exited with status 1" } as const;
    expect(statusFromHealth(failing, ['Fatal Python error: init_fs_encoding', 'boom'])).toEqual({
      state: 'error',
      reason:
        "Odoo's container exited with status 1; its last output: " +
        'Fatal Python error: init_fs_encoding | boom',
    });
    expect(statusFromHealth({ kind: 'running', pid: 7 }, [])).toEqual({ state: 'running', pid: 7 });
  });
});
