import { z } from 'zod';
import { Edition } from './instances';

/** Odoo series the agent can install, oldest first. */
export const SUPPORTED_ODOO_VERSIONS = ['14.0', '15.0', '16.0', '17.0', '18.0', '19.0'] as const;

/** What an Odoo series looks like, supported or not. */
export const ODOO_VERSION_PATTERN = /^\d{1,2}\.0$/;

export const OdooVersion = z.enum(SUPPORTED_ODOO_VERSIONS, {
  error: (issue) => {
    const input = issue.input;
    if (typeof input === 'string' && ODOO_VERSION_PATTERN.test(input)) {
      return `Odoo ${input} is not supported (supported: ${SUPPORTED_ODOO_VERSIONS.join(', ')})`;
    }
    return `must be an Odoo series such as "17.0" (supported: ${SUPPORTED_ODOO_VERSIONS.join(', ')})`;
  },
});
export type OdooVersion = z.infer<typeof OdooVersion>;

/** `POST /v1/versions`: answered with `202 { job }` (see `JobAccepted`). */
export const InstallVersionInput = z.object({
  version: OdooVersion,
  edition: Edition,
});
export type InstallVersionInput = z.infer<typeof InstallVersionInput>;

/** An Odoo version installed on the agent's machine. */
export const InstalledVersion = z.object({
  version: z.string(),
  edition: Edition,
  /** Python of its virtualenv, e.g. "3.11.7". */
  python: z.string(),
  /** Directory holding `odoo/` (the checkout) and `venv/`. */
  path: z.string(),
  /** How many instances on this agent use it. */
  instances: z.number().int().nonnegative(),
});
export type InstalledVersion = z.infer<typeof InstalledVersion>;

/** `GET /v1/versions`: installed versions (oldest first) and those being installed now. */
export const VersionList = z.object({
  versions: z.array(InstalledVersion),
  installing: z.array(z.string()),
});
export type VersionList = z.infer<typeof VersionList>;
