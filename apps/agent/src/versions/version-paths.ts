import { join } from 'node:path';

export const VERSION_RECORD_FILE = 'version.json';

export function versionsDir(root: string): string {
  return join(root, 'versions');
}

/** `<root>/versions/<ver>`: `odoo/` (the checkout), `venv/` and `version.json`. */
export function versionDir(root: string, version: string): string {
  return join(versionsDir(root), version);
}

/** Where an install is built; hidden so nothing mistakes it for an installed version. */
export function partialVersionDir(root: string, version: string): string {
  return join(versionsDir(root), `.${version}.partial`);
}

/** `<root>/versions/<ver>/enterprise`: the Enterprise modules, first in instances' addons_path. */
export function enterpriseDir(root: string, version: string): string {
  return join(versionDir(root, version), 'enterprise');
}

/** Where an Enterprise upgrade clones to before it is renamed into place. */
export function partialEnterpriseDir(root: string, version: string): string {
  return join(versionDir(root, version), 'enterprise.partial');
}
