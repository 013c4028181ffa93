import { describe, expect, it } from 'vitest';
import { formatIni, parseIni } from '../odoo/conf-file';
import { withConnectAddon } from './connect-conf';

const DIR = '/srv/ordo/instances/shop/ordo-addons';

describe('withConnectAddon', () => {
  it('adds the addons directory and the server-wide module, keeping the rest', () => {
    const conf = parseIni('[options]\naddons_path = /a,/b\nhttp_port = 8100\n');
    const next = withConnectAddon(conf, DIR);
    expect(next && formatIni(next)).toBe(
      `[options]\naddons_path = /a,/b,${DIR}\nhttp_port = 8100\nserver_wide_modules = base,web,ordo_connect\n`,
    );
  });

  it("keeps the admin's own server-wide modules and always has base and web", () => {
    const conf = parseIni(`[options]\naddons_path = ${DIR}\nserver_wide_modules = queue_job\n`);
    const options = withConnectAddon(conf, DIR)?.get('options');
    expect(options?.get('server_wide_modules')).toBe('base,web,queue_job,ordo_connect');
    expect(options?.get('addons_path')).toBe(DIR);
  });

  it('answers null when both are there already', () => {
    const conf = parseIni(
      `[options]\naddons_path = /a,${DIR}\nserver_wide_modules = base,web,ordo_connect\n`,
    );
    expect(withConnectAddon(conf, DIR)).toBeNull();
  });
});
