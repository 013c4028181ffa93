import { describe, expect, it } from 'vitest';
import {
  checkRestoreFile,
  defaultRestoreOptions,
  isConfirmed,
  uploadContentType,
} from './restore-form';

describe('restore form', () => {
  it('takes a safety backup by default and changes nothing else', () => {
    expect(defaultRestoreOptions()).toEqual({
      neutralize: false,
      resetAdminPassword: false,
      safetyBackup: true,
      copy: false,
    });
  });

  it('accepts ZIP and .dump files only, not empty ones', () => {
    expect(checkRestoreFile(null)).toBe('Choose a backup file (.zip or .dump)');
    expect(checkRestoreFile({ name: 'shop_2025-06-10_12-00-00.zip', size: 10 })).toBe(null);
    expect(checkRestoreFile({ name: 'SHOP.DUMP', size: 10 })).toBe(null);
    expect(checkRestoreFile({ name: 'notes.txt', size: 10 })).toMatch(/^Choose an Odoo backup/);
    expect(checkRestoreFile({ name: 'empty.zip', size: 0 })).toBe('This file is empty');
  });

  it('needs the exact instance name typed', () => {
    expect(isConfirmed('shop', 'shop')).toBe(true);
    expect(isConfirmed(' shop ', 'shop')).toBe(true);
    expect(isConfirmed('sho', 'shop')).toBe(false);
    expect(isConfirmed('Shop', 'shop')).toBe(false);
  });

  it('sends ZIPs as application/zip and dumps as octet-stream', () => {
    expect(uploadContentType('a.zip')).toBe('application/zip');
    expect(uploadContentType('a.dump')).toBe('application/octet-stream');
  });
});
