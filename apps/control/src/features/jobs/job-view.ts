import { isJobFinished, JobState } from '@ordo/protocol';
import { JobView } from '@ordo/protocol/panel';
import type { JobWithServer } from '../../db/repositories/jobs.repository';

/** Parsed on the way out: rows hold what an agent once sent, which must still fit the protocol. */
export function toJobView(row: JobWithServer): JobView {
  return JobView.parse({
    id: row.id,
    kind: row.kind,
    state: row.state,
    progress: row.progress,
    target: row.target,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    endedAt: row.ended_at?.toISOString() ?? null,
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    requestedBy: row.requested_by,
    serverId: row.server_id,
    serverName: row.server_name,
  });
}

/** Whether the job has ended and its whole log is stored. */
export function isMirrorComplete(row: { state: string; log_complete: boolean }): boolean {
  const state = JobState.safeParse(row.state);
  return row.log_complete && state.success && isJobFinished(state.data);
}
