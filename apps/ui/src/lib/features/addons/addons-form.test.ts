import { describe, expect, it } from 'vitest';
import { addonsResultRows, checkAddonsFile, describeAddonsResult } from './addons-form';

describe('checkAddonsFile', () => {
  it('asks for a non-empty .zip', () => {
    expect(checkAddonsFile(null)).toBe('Choose a ZIP file of Odoo modules');
    expect(checkAddonsFile({ name: 'modules.tar.gz', size: 10 })).toMatch(/^Choose a \.zip file/);
    expect(checkAddonsFile({ name: 'modules.zip', size: 0 })).toBe('This file is empty');
    expect(checkAddonsFile({ name: 'Modules.ZIP', size: 10 })).toBeNull();
  });
});

describe('the result list', () => {
  it('lists every module by name, marked added or updated', () => {
    expect(addonsResultRows({ added: ['sale_extra', 'b_mod'], updated: ['a_mod'] })).toEqual([
      { module: 'a_mod', change: 'updated' },
      { module: 'b_mod', change: 'added' },
      { module: 'sale_extra', change: 'added' },
    ]);
  });

  it('sums it up in words', () => {
    expect(describeAddonsResult({ added: ['a'], updated: [] })).toBe('1 module added');
    expect(describeAddonsResult({ added: [], updated: ['a', 'b'] })).toBe('2 modules updated');
    expect(describeAddonsResult({ added: ['a', 'b'], updated: ['c'] })).toBe(
      '2 modules added, 1 updated',
    );
  });
});
