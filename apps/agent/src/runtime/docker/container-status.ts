import type { RuntimeStatus } from '../runtime';
import type { ContainerInspect } from './engine-schemas';

/**
 * How long after the engine restarted a crashed container the instance still counts as
 * failing. The engine restarts a container that exits at once in a loop (podman without
 * pause), so that it mostly looks running: the restart count tells.
 */
export const RECENT_RESTART_MS = 60_000;

export type ContainerHealth = { kind: 'running'; pid: number } | { kind: 'failing'; what: string };

/** What the container's state says about Odoo in it. */
export function containerHealth(container: ContainerInspect, nowMs: number): ContainerHealth {
  const { State: state, RestartCount: restarts } = container;
  if (state.Running && state.Paused) {
    return { kind: 'failing', what: "Odoo's container is paused" };
  }
  if (state.Restarting) {
    return {
      kind: 'failing',
      what: `Odoo's container exited${exitDetail(container)} and the engine is restarting it`,
    };
  }
  if (state.Running) {
    const startedMs = Date.parse(state.StartedAt);
    const recent = Number.isNaN(startedMs) || nowMs - startedMs < RECENT_RESTART_MS;
    if (restarts > 0 && recent) {
      return {
        kind: 'failing',
        what:
          `Odoo's container exited and was restarted by the engine ${times(restarts)}` +
          (state.OOMKilled ? ' (killed for exceeding its memory limit)' : ''),
      };
    }
    return { kind: 'running', pid: state.Pid };
  }
  return {
    kind: 'failing',
    what: `Odoo's container ${state.Status === 'created' ? 'never ran' : `exited${exitDetail(container)}`}`,
  };
}

/** The runtime status for a container's health, with its last output lines when failing. */
export function statusFromHealth(
  health: ContainerHealth,
  lastLines: readonly string[],
): RuntimeStatus {
  if (health.kind === 'running') return { state: 'running', pid: health.pid };
  return { state: 'error', reason: withOutput(health.what, lastLines) };
}

const MAX_OUTPUT_CHARS = 1500;

export function withOutput(what: string, lines: readonly string[]): string {
  if (lines.length === 0) return what;
  const text = lines.join(' | ');
  const output = text.length > MAX_OUTPUT_CHARS ? `…${text.slice(-MAX_OUTPUT_CHARS)}` : text;
  return `${what}; its last output: ${output}`;
}

function exitDetail(container: ContainerInspect): string {
  const { ExitCode: code, OOMKilled: oom, Error: error } = container.State;
  const parts = [`with status ${code}`];
  if (oom) parts.push('killed for exceeding its memory limit');
  if (error.trim() !== '') parts.push(error.trim());
  return ` ${parts.join(', ')}`;
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`;
}
