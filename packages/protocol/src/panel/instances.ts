import { z } from 'zod';
import { Instance, InstanceName } from '../instances';
import {
  CreateInstanceInput,
  InstanceConfigUpdate,
  InstanceLogsQuery,
} from '../instance-lifecycle';
import { JobView } from './jobs';

/** `instances.list` input: every instance, or those of one server. */
export const InstanceListInput = z.object({ serverId: z.uuid().optional() }).optional();
export type InstanceListInput = z.input<typeof InstanceListInput>;

/** An instance as the control plane last synced it from its server's agent. */
export const InstanceView = Instance.extend({
  serverId: z.string(),
  serverName: z.string(),
  /** How the server runs instances (`native`, `docker`), as its agent last reported. */
  serverRuntime: z.string().nullable(),
  /** ISO timestamp of the sync that last saw it. */
  syncedAt: z.string(),
  /** The running creation job, for progress while the instance is provisioning. */
  activeJob: JobView.nullable(),
  /** Whether the control plane holds its master and admin passwords (see `revealSecret`). */
  hasSecrets: z.boolean(),
});
export type InstanceView = z.infer<typeof InstanceView>;

/** One instance of one server. */
export const InstanceRef = z.object({ serverId: z.uuid(), name: InstanceName });
export type InstanceRef = z.input<typeof InstanceRef>;

/**
 * `instances.checkName` input. The name is any string on purpose: a bad format is an answer
 * (`available: false` with the reason), not an error.
 */
export const CheckNameInput = z.object({ serverId: z.uuid(), name: z.string().max(200) });
export type CheckNameInput = z.input<typeof CheckNameInput>;

export const CheckNameResult = z.object({
  available: z.boolean(),
  /** Why the name cannot be used; null when it can. */
  message: z.string().nullable(),
});
export type CheckNameResult = z.infer<typeof CheckNameResult>;

/** `instances.create` input: the agent's creation input plus the server. */
export const CreateInstancePanelInput = CreateInstanceInput.safeExtend({ serverId: z.uuid() });
export type CreateInstancePanelInput = z.input<typeof CreateInstancePanelInput>;

/** `instances.create` answer: the instance appears at once as `provisioning`. */
export const CreateInstanceResult = z.object({ job: JobView, instance: InstanceView });
export type CreateInstanceResult = z.infer<typeof CreateInstanceResult>;

export const InstanceSecretKind = z.enum(['master', 'admin']);
export type InstanceSecretKind = z.infer<typeof InstanceSecretKind>;

/** `instances.revealSecret` input: `master` is Odoo's master password, `admin` the admin user's. */
export const RevealSecretInput = InstanceRef.extend({ secret: InstanceSecretKind });
export type RevealSecretInput = z.input<typeof RevealSecretInput>;

export const RevealSecretResult = z.object({ value: z.string() });
export type RevealSecretResult = z.infer<typeof RevealSecretResult>;

/** `instances.logs` input: the instance plus the agent's level/cursor/limit query. */
export const InstanceLogsPanelInput = InstanceRef.extend(InstanceLogsQuery.shape);
export type InstanceLogsPanelInput = z.input<typeof InstanceLogsPanelInput>;

/** `instances.config.update` input; the instance restarts to apply it. */
export const InstanceConfigPanelUpdate = InstanceRef.extend({ settings: InstanceConfigUpdate });
export type InstanceConfigPanelUpdate = z.input<typeof InstanceConfigPanelUpdate>;
