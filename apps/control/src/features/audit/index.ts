export { listActions, listActors, listAudit, toAuditView } from './list';
export { finishAudit, jobIdsIn, startAudit, type AuditDeps } from './record';
export { describeTarget, redactParams } from './redact';
