import type { PingResult, ServerStatus, SyncResult } from '@ordo/protocol/panel';
import type { Tone } from '../../components/tone';

export interface RowMessage {
  tone: Tone;
  text: string;
}

export function describeStatus(status: ServerStatus): { label: string; tone: Tone } {
  switch (status) {
    case 'active':
      return { label: 'Active', tone: 'success' };
    case 'inactive':
      return { label: 'Inactive', tone: 'danger' };
    case 'unknown':
      return { label: 'Unknown', tone: 'neutral' };
  }
}

/** "Active — v0.1.0, 12 ms", or the agent client's plain explanation of the failure. */
export function describePing(result: PingResult): RowMessage {
  if (result.ok) {
    return {
      tone: 'success',
      text: `Active — v${result.agentVersion}, ${formatLatency(result.latencyMs)}`,
    };
  }
  return { tone: 'danger', text: result.message };
}

export function describeSync(result: SyncResult): RowMessage {
  const changes = [
    result.added > 0 ? `${result.added} new` : null,
    result.removed > 0 ? `${result.removed} removed` : null,
  ].filter(Boolean);
  const summary = `${plural(result.instanceCount, 'instance')} synced`;
  return {
    tone: 'success',
    text: changes.length > 0 ? `${summary} (${changes.join(', ')})` : summary,
  };
}

export function formatLatency(ms: number): string {
  return `${Math.max(0, Math.round(ms))} ms`;
}

/** Coarse relative time for the "Last seen" column; the exact time goes in a tooltip. */
export function formatLastSeen(iso: string | null, now: Date): string {
  if (iso === null) return 'Never';
  const then = new Date(iso);
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (Number.isNaN(seconds)) return 'Never';
  if (seconds < 45) return 'Just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 30) return plural(days, 'day') + ' ago';
  return then.toISOString().slice(0, 10);
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
