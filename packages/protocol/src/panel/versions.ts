import { z } from 'zod';
import { InstallVersionInput, InstalledVersion } from '../versions';
import { JobView } from './jobs';

/** Input of procedures about one server (`versions.list`). */
export const ServerScopedInput = z.object({ serverId: z.uuid() });
export type ServerScopedInput = z.input<typeof ServerScopedInput>;

/** `versions.install` input. */
export const InstallVersionPanelInput = InstallVersionInput.extend({ serverId: z.uuid() });
export type InstallVersionPanelInput = z.input<typeof InstallVersionPanelInput>;

/** `versions.list` answer. */
export const VersionListView = z.object({
  versions: z.array(InstalledVersion),
  /** Versions being installed now. */
  installing: z.array(z.string()),
  /** Every version the agent can install, oldest first. */
  supported: z.array(z.string()),
  /** Running or pending `version.install` jobs on this server, for live progress. */
  activeJobs: z.array(JobView),
  /** Running or pending `version.enterprise_upgrade` jobs on this server. */
  upgradeJobs: z.array(JobView),
});
export type VersionListView = z.infer<typeof VersionListView>;
