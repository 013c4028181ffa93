import { AuditListInput } from '@ordo/protocol/panel';
import { listActions, listActors, listAudit } from '../../features/audit';
import { protectedProcedure, router } from '../init';

const read = protectedProcedure.meta({ permission: 'audit.read', target: 'fleet' });

export const auditRouter = router({
  list: read.input(AuditListInput).query(({ ctx, input }) => listAudit(ctx.deps, input)),
  actions: read.query(({ ctx }) => listActions(ctx.deps)),
  /** Everyone who appears in the log, for the user filter. */
  users: read.query(({ ctx }) => listActors(ctx.deps)),
});
