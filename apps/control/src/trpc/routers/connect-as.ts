import { ConnectAsInput, OdooUsersInput } from '@ordo/protocol/panel';
import { connectAs, listOdooUsers } from '../../features/connect-as';
import { protectedProcedure } from '../init';
import { requesterOf } from './requester';

/**
 * `instances.odooUsers` and `instances.connectAs` (spread into the instances router).
 *
 * A link opens Odoo as another user without their password and without their second factor:
 * it is an instance operation, so production instances need Developer Plus and staging ones
 * Developer (`instances.operate`), never Viewer. Listing the users is restricted the same way,
 * since it only serves choosing whom to connect as. Each link is audited (the mutation's input
 * names the Odoo login) and logged by Odoo when used.
 */
export const connectAsProcedures = {
  odooUsers: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(OdooUsersInput)
    .query(({ ctx, input }) => listOdooUsers(ctx.deps, input)),

  connectAs: protectedProcedure
    .meta({ permission: 'instances.operate', target: 'instance' })
    .input(ConnectAsInput)
    .mutation(({ ctx, input }) => connectAs(ctx.deps, input, requesterOf(ctx.user))),
};
