import { describe, expect, it } from 'vitest';
import { touchedModules } from './touched-modules';

describe('touchedModules', () => {
  const files = [
    'README.md',
    'mod_a/__manifest__.py',
    'mod_a/models/thing.py',
    'mod_b/__openerp__.py',
    'mod_b/views/view.xml',
    'mod_a/tests/inner/__manifest__.py',
    'bad-name/__manifest__.py',
    'setup/mod_c/__manifest__.py',
  ];

  it('maps changed paths to the module folders holding them, outermost first', () => {
    expect(
      touchedModules(
        [
          'README.md',
          'mod_a/models/thing.py',
          'mod_a/tests/inner/x.py',
          'mod_b/views/view.xml',
          'setup/mod_c/data.xml',
        ],
        files,
      ),
    ).toEqual(['mod_a', 'mod_b', 'mod_c']);
  });

  it('leaves out names Odoo cannot load and paths outside modules', () => {
    expect(touchedModules(['bad-name/x.py', 'README.md', 'setup/setup.py'], files)).toEqual([]);
  });

  it('ignores a module deleted by the change (it is not in the new commit)', () => {
    expect(touchedModules(['gone/__manifest__.py', 'gone/x.py'], files)).toEqual([]);
  });
});
