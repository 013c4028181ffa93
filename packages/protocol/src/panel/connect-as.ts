import { z } from 'zod';
import { LoginLink, OdooUser } from '../login-links';
import { InstanceRef } from './instances';

/** `instances.odooUsers` input: the instance whose Odoo users to list. */
export const OdooUsersInput = InstanceRef;
export type OdooUsersInput = z.input<typeof OdooUsersInput>;

/** `instances.odooUsers`: the active internal users of the instance's database. */
export const OdooUsersResult = z.array(OdooUser);
export type OdooUsersResult = z.infer<typeof OdooUsersResult>;

/**
 * `instances.connectAs` input. `login` is the login the admin picked from the list: the agent
 * checks it is still the login of `uid`, and the audit log keeps it as the entry's detail.
 */
export const ConnectAsInput = InstanceRef.extend({
  uid: z.number().int().positive(),
  login: z.string().min(1).max(256),
});
export type ConnectAsInput = z.input<typeof ConnectAsInput>;

/** `instances.connectAs`: the single-use link to open in a new tab. */
export const ConnectAsResult = LoginLink;
export type ConnectAsResult = z.infer<typeof ConnectAsResult>;
