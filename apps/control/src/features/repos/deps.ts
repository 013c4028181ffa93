import type { JobDeps } from '../jobs/deps';

export interface RepoDeps extends JobDeps {
  /** ORDO_PUBLIC_URL: the base of webhook URLs (null: the panel shows its own origin). */
  publicUrl: string | null;
}
