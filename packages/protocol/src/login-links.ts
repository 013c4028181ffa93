import { z } from 'zod';

/** How long a "connect as" link works, from its creation (the admin guide says 2 minutes). */
export const LOGIN_LINK_TTL_SECONDS = 120;

/** An active internal Odoo user (`res_users.active`, `share = false`). */
export const OdooUser = z.object({
  id: z.number().int().positive(),
  login: z.string(),
  /** The user's display name (their partner's name). */
  name: z.string(),
});
export type OdooUser = z.infer<typeof OdooUser>;

/** `GET /v1/instances/:name/users`: sorted by name. */
export const OdooUserList = z.object({ users: z.array(OdooUser) });
export type OdooUserList = z.infer<typeof OdooUserList>;

/** `POST /v1/instances/:name/login-links`. */
export const CreateLoginLinkInput = z.object({
  /** `res_users.id` of the user to log in as. */
  uid: z.number().int().positive(),
  /**
   * The user's login as the caller saw it; when given, the link is refused unless it is still
   * the login of `uid`, so what the caller records is what the link does.
   */
  login: z.string().min(1).max(256).optional(),
  /** Who asks (the Ordo account): written with the link and in Odoo's log when it is used. */
  requestedBy: z.string().trim().min(1, 'requestedBy: say who asks for the link').max(200),
});
export type CreateLoginLinkInput = z.infer<typeof CreateLoginLinkInput>;

/** A single-use link that opens an Odoo session as the user; it works once, until `expiresAt`. */
export const LoginLink = z.object({
  url: z.url(),
  expiresAt: z.iso.datetime({ offset: true }),
  /**
   * True when the instance had to be restarted first to load Ordo's login module (instances
   * created before Ordo shipped it, on their first link).
   */
  restarted: z.boolean(),
});
export type LoginLink = z.infer<typeof LoginLink>;
