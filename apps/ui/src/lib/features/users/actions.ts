import {
  EmailListInput,
  type EmailView,
  UserCreateInput,
  UserSendEmailInput,
  UserSetPasswordInput,
  UserUpdateInput,
  type UserView,
} from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { checkForm, type FieldErrors } from '../../forms/field-errors';
import { handleError } from '../../handle-error';
import { toastManager } from '../../state/toasts.svelte';
import { welcomeNote } from './user-format';
import { usersStore } from './users.svelte';

export type FormOutcome = { ok: true } | { ok: false; errors: FieldErrors; message: string | null };

/** Server-side refusals land in the dialog, on the form. */
function refused(error: unknown): FormOutcome {
  return { ok: false, errors: {}, message: readApiError(error).message };
}

export async function handleLoadUsers(): Promise<void> {
  if (usersStore.status !== 'ready') usersStore.status = 'loading';
  try {
    usersStore.users = await api.users.list.query({
      search: usersStore.search.trim() || undefined,
      role: usersStore.role || undefined,
    });
    usersStore.status = 'ready';
    usersStore.loadError = null;
  } catch (error) {
    usersStore.status = 'error';
    usersStore.loadError = handleError(error, 'Could not load the users').message;
  }
}

/** The servers an account can be limited to (best effort: the list may be empty). */
export async function handleLoadServerChoices(): Promise<void> {
  try {
    usersStore.servers = await api.servers.list.query();
  } catch (error) {
    handleError(error, 'Could not load the servers');
  }
}

export async function handleCreateUser(values: {
  email: string;
  password: string;
  role: string;
  allowUserManagement: boolean;
  serverId: string;
  sendWelcomeEmail: boolean;
}): Promise<FormOutcome> {
  const checked = checkForm(UserCreateInput, { ...values, serverId: values.serverId || null });
  if (!checked.ok) return { ok: false, errors: checked.errors, message: null };
  try {
    const { user, welcomeEmail } = await api.users.create.mutate(checked.input);
    toastManager.show('success', `Account ${user.email} created. ${welcomeNote(welcomeEmail)}`);
    await handleLoadUsers();
    return { ok: true };
  } catch (error) {
    const apiError = readApiError(error);
    if (apiError.code === 'CONFLICT')
      return { ok: false, errors: { email: apiError.message }, message: null };
    return refused(error);
  }
}

export async function handleUpdateAccess(
  user: UserView,
  values: { role: string; allowUserManagement: boolean; serverId: string },
): Promise<FormOutcome> {
  const checked = checkForm(UserUpdateInput, {
    id: user.id,
    ...values,
    serverId: values.serverId || null,
  });
  if (!checked.ok) return { ok: false, errors: checked.errors, message: null };
  try {
    await api.users.update.mutate(checked.input);
    toastManager.show('success', `Access of ${user.email} saved`);
    await handleLoadUsers();
    return { ok: true };
  } catch (error) {
    return refused(error);
  }
}

/** The Active toggle: turning an account off signs it out everywhere at once. */
export async function handleSetActive(user: UserView, isActive: boolean): Promise<void> {
  try {
    await api.users.update.mutate({ id: user.id, isActive });
    toastManager.show(
      'success',
      isActive ? `${user.email} can sign in again` : `${user.email} is off and signed out`,
    );
  } catch (error) {
    handleError(error, `Could not change ${user.email}`);
  }
  await handleLoadUsers();
}

export async function handleSetPassword(user: UserView, password: string): Promise<FormOutcome> {
  const checked = checkForm(UserSetPasswordInput, { id: user.id, password });
  if (!checked.ok) return { ok: false, errors: checked.errors, message: null };
  try {
    await api.users.setPassword.mutate(checked.input);
    toastManager.show('success', `New password set for ${user.email}; its sessions ended`);
    return { ok: true };
  } catch (error) {
    return refused(error);
  }
}

export async function handleSendResetLink(user: UserView): Promise<FormOutcome> {
  try {
    await api.users.sendResetLink.mutate({ id: user.id });
    toastManager.show('success', `A reset link (valid 30 minutes) is on its way to ${user.email}`);
    return { ok: true };
  } catch (error) {
    return refused(error);
  }
}

export async function handleSendEmail(
  user: UserView,
  values: { subject: string; body: string },
): Promise<FormOutcome> {
  const checked = checkForm(UserSendEmailInput, { id: user.id, ...values });
  if (!checked.ok) return { ok: false, errors: checked.errors, message: null };
  try {
    await api.users.sendEmail.mutate(checked.input);
    toastManager.show('success', `Email to ${user.email} queued: see the Email history`);
    return { ok: true };
  } catch (error) {
    return refused(error);
  }
}

export async function handleResetMfa(user: UserView): Promise<FormOutcome> {
  try {
    await api.users.resetMfa.mutate({ id: user.id });
    toastManager.show('success', `Two-factor authentication of ${user.email} is off`);
    await handleLoadUsers();
    return { ok: true };
  } catch (error) {
    return refused(error);
  }
}

/** Email codes are the one 2FA method an administrator can turn on for someone else. */
export async function handleEnableEmailMfa(user: UserView): Promise<void> {
  try {
    await api.users.enableEmailMfa.mutate({ id: user.id });
    toastManager.show(
      'success',
      `Two-factor authentication by email is on for ${user.email}: their next sign-in asks for a mailed code`,
    );
    await handleLoadUsers();
  } catch (error) {
    handleError(error, `Could not turn on two-factor authentication for ${user.email}`);
  }
}

export async function handleDeleteUser(user: UserView): Promise<FormOutcome> {
  try {
    await api.users.remove.mutate({ id: user.id });
    toastManager.show('success', `Account ${user.email} deleted`);
    await handleLoadUsers();
    return { ok: true };
  } catch (error) {
    return refused(error);
  }
}

export async function handleLoadEmails(filter: {
  status: string;
  kind: string;
  search: string;
}): Promise<void> {
  const checked = checkForm(EmailListInput, {
    status: filter.status || undefined,
    kind: filter.kind || undefined,
    search: filter.search.trim() || undefined,
  });
  if (!checked.ok) return;
  if (usersStore.emailsStatus !== 'ready') usersStore.emailsStatus = 'loading';
  try {
    const emails: EmailView[] = await api.users.emailHistory.query(checked.input);
    usersStore.emails = emails;
    usersStore.emailsStatus = 'ready';
  } catch (error) {
    usersStore.emailsStatus = 'error';
    handleError(error, 'Could not load the email history');
  }
}
