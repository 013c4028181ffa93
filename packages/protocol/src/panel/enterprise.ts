import { z } from 'zod';
import { OdooVersion } from '../versions';

/** `versions.upgradeEnterprise` input: add the Enterprise modules to an installed version. */
export const UpgradeEnterprisePanelInput = z.object({
  serverId: z.uuid(),
  version: OdooVersion,
});
export type UpgradeEnterprisePanelInput = z.input<typeof UpgradeEnterprisePanelInput>;
