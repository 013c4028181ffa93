import {
  EmailListInput,
  UserCreateInput,
  UserIdInput,
  UserListInput,
  UserSendEmailInput,
  UserSetPasswordInput,
  UserUpdateInput,
} from '@ordo/protocol/panel';
import { listEmailHistory } from '../../features/email';
import {
  createUser,
  listUsers,
  removeUser,
  enableUserEmailTwoFactor,
  resetUserTwoFactor,
  sendUserEmail,
  sendUserResetLink,
  setUserPassword,
  updateUserAccess,
} from '../../features/users';
import { protectedProcedure, router } from '../init';

const manage = protectedProcedure.meta({ permission: 'users.manage' });
const OK = { ok: true as const };

export const usersRouter = router({
  list: manage.input(UserListInput).query(({ ctx, input }) => listUsers(ctx.deps, ctx.user, input)),

  create: manage
    .input(UserCreateInput)
    .mutation(({ ctx, input }) => createUser(ctx.deps, ctx.user, input)),

  update: manage
    .input(UserUpdateInput)
    .mutation(({ ctx, input }) => updateUserAccess(ctx.deps, ctx.user, input)),

  setPassword: manage.input(UserSetPasswordInput).mutation(async ({ ctx, input }) => {
    await setUserPassword(ctx.deps, ctx.user, input);
    return OK;
  }),

  sendResetLink: manage.input(UserIdInput).mutation(async ({ ctx, input }) => {
    await sendUserResetLink(ctx.deps, ctx.user, input.id);
    return OK;
  }),

  sendEmail: manage
    .input(UserSendEmailInput)
    .mutation(({ ctx, input }) => sendUserEmail(ctx.deps, ctx.user, input)),

  enableEmailMfa: manage.input(UserIdInput).mutation(async ({ ctx, input }) => {
    await enableUserEmailTwoFactor(ctx.deps, ctx.user, input.id);
    return OK;
  }),

  resetMfa: manage.input(UserIdInput).mutation(async ({ ctx, input }) => {
    await resetUserTwoFactor(ctx.deps, ctx.user, input.id);
    return OK;
  }),

  remove: manage.input(UserIdInput).mutation(async ({ ctx, input }) => {
    await removeUser(ctx.deps, ctx.user, input.id);
    return OK;
  }),

  /** The Email history tab: every email of the panel, so not for server-limited accounts. */
  emailHistory: protectedProcedure
    .meta({ permission: 'users.manage', target: 'fleet' })
    .input(EmailListInput)
    .query(({ ctx, input }) => listEmailHistory(ctx.deps, input)),
});
