import { describe, expect, it } from 'vitest';
import { formatIni, IniSyntaxError, parseIni } from './conf-file';

describe('odoo.conf INI files', () => {
  it('reads sections, both separators, comments and continuation lines', () => {
    const document = parseIni(
      [
        '; written by hand',
        '[options]',
        'addons_path = /a,/b',
        'Workers: 2',
        '# a comment',
        'db_password =',
        'dbfilter = ^x$',
        '  continued',
        '',
        '[other]',
        'key=value with = sign',
      ].join('\n'),
    );
    expect(Object.fromEntries(document.get('options') ?? [])).toEqual({
      addons_path: '/a,/b',
      workers: '2',
      db_password: '',
      dbfilter: '^x$\ncontinued',
    });
    expect(document.get('other')?.get('key')).toBe('value with = sign');
  });

  it('writes what it reads back, one "key = value" per line', () => {
    const text = '[options]\nhttp_port = 8100\nlist_db = False\n';
    expect(formatIni(parseIni(text))).toBe(text);
  });

  it('refuses keys before a section and values it cannot write', () => {
    expect(() => parseIni('key = value')).toThrow(
      new IniSyntaxError('line 1: expected "[section]" or "key = value"'),
    );
    expect(() => parseIni('[options]\nnot a pair')).toThrow('line 2');
    expect(() => formatIni(new Map([['options', new Map([['k', 'a\nb']])]]))).toThrow(
      'cannot write k: keys and values must be single lines',
    );
  });
});
