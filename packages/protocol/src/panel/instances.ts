import { z } from 'zod';
import { Instance } from '../instances';

/** `instances.list` input: every instance, or those of one server. */
export const InstanceListInput = z.object({ serverId: z.uuid().optional() }).optional();
export type InstanceListInput = z.input<typeof InstanceListInput>;

/** An instance as the control plane last synced it from its server's agent. */
export const InstanceView = Instance.extend({
  serverId: z.string(),
  serverName: z.string(),
  /** ISO timestamp of the sync that last saw it. */
  syncedAt: z.string(),
});
export type InstanceView = z.infer<typeof InstanceView>;
