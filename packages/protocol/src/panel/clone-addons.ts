import { z } from 'zod';
import { AddonsUploaded } from '../backups';
import { InstanceName } from '../instances';
import { CreateInstanceResult, InstanceRef } from './instances';

/**
 * `instances.clone` input: the production instance (`name`) and the staging instance to make
 * of it (`stagingName`), on the same server.
 */
export const CloneInstancePanelInput = InstanceRef.extend({ stagingName: InstanceName });
export type CloneInstancePanelInput = z.input<typeof CloneInstancePanelInput>;

/** `instances.clone` answer: the clone job and the staging instance, `provisioning` at once. */
export const CloneInstanceResult = CreateInstanceResult;
export type CloneInstanceResult = z.infer<typeof CloneInstanceResult>;

/** Answer of the addons upload route: the module names added and replaced, sorted. */
export const AddonsUploadResult = AddonsUploaded;
export type AddonsUploadResult = z.infer<typeof AddonsUploadResult>;

/** Error answer of the control plane's `/api/…` routes (uploads and downloads). */
export const PanelApiErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type PanelApiErrorBody = z.infer<typeof PanelApiErrorBody>;

/**
 * `POST` a ZIP of Odoo modules here as the raw body (`Content-Type: application/zip`): it is
 * streamed through to the server's agent, which installs the modules and restarts the instance.
 */
export function addonsUploadPath(serverId: string, name: string): string {
  return `/api/servers/${encodeURIComponent(serverId)}/instances/${encodeURIComponent(name)}/addons`;
}
