import { describe, expect, it } from 'vitest';
import { parseThemeChoice, resolveTheme } from './theme';

describe('parseThemeChoice', () => {
  it.each(['light', 'dark', 'auto'] as const)('keeps the stored choice %s', (choice) => {
    expect(parseThemeChoice(choice)).toBe(choice);
  });

  it.each([null, undefined, '', 'Dark', 'sepia'])('falls back to auto for %s', (value) => {
    expect(parseThemeChoice(value)).toBe('auto');
  });
});

describe('resolveTheme', () => {
  it('uses an explicit choice whatever the system prefers', () => {
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('follows the system preference on auto', () => {
    expect(resolveTheme('auto', true)).toBe('dark');
    expect(resolveTheme('auto', false)).toBe('light');
  });
});
