import type { LoginLink, OdooUser } from '@ordo/protocol';
import type { InstanceView } from '@ordo/protocol/panel';
import { api } from '../../api/trpc';
import { handleError } from '../../handle-error';

type InstanceRef = Pick<InstanceView, 'serverId' | 'name'>;

/** The instance's active internal Odoo users; `null` when they could not be read (toast shown). */
export async function handleLoadOdooUsers(instance: InstanceRef): Promise<OdooUser[] | null> {
  try {
    return await api.instances.odooUsers.query({
      serverId: instance.serverId,
      name: instance.name,
    });
  } catch (error) {
    handleError(error, `Could not list the Odoo users of ${instance.name}`);
    return null;
  }
}

/** A single-use login link for `user`; `null` when it could not be made (toast shown). */
export async function handleConnectAs(
  instance: InstanceRef,
  user: OdooUser,
): Promise<LoginLink | null> {
  try {
    return await api.instances.connectAs.mutate({
      serverId: instance.serverId,
      name: instance.name,
      uid: user.id,
      login: user.login,
    });
  } catch (error) {
    handleError(error, `Could not connect as ${user.login}`);
    return null;
  }
}

/**
 * Opens the link in a new tab. Still inside the click's user activation, so popup blockers let
 * it through; `false` when the browser blocked it anyway (then the dialog offers the link).
 * The opener is cut so the Odoo tab cannot navigate the panel.
 */
export function openLoginLink(url: string): boolean {
  const tab = window.open(url, '_blank');
  if (tab === null) return false;
  tab.opener = null;
  return true;
}
