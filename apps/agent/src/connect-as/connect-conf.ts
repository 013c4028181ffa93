import type { IniDocument } from '../odoo/conf-file';
import { OPTIONS_SECTION } from '../odoo/odoo-conf';
import { CONNECT_MODULE } from './addon-source';

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * odoo.conf with Ordo's login module loaded server-wide: `addonsDir` (the directory holding
 * `ordo_connect/`) on the addons_path and `ordo_connect` in `server_wide_modules`, so its
 * route answers without the module being installed in the database. `null` when the file
 * already has both. Odoo always loads base and web server-wide; they are kept in the list.
 */
export function withConnectAddon(document: IniDocument, addonsDir: string): IniDocument | null {
  const options = new Map(document.get(OPTIONS_SECTION) ?? []);
  const addons = list(options.get('addons_path'));
  const modules = list(options.get('server_wide_modules') ?? 'base,web');
  if (addons.includes(addonsDir) && modules.includes(CONNECT_MODULE)) return null;

  if (!addons.includes(addonsDir)) options.set('addons_path', [...addons, addonsDir].join(','));
  const wanted = ['base', 'web', ...modules, CONNECT_MODULE];
  options.set('server_wide_modules', [...new Set(wanted)].join(','));
  const result = new Map(document);
  result.set(OPTIONS_SECTION, options);
  return result;
}
