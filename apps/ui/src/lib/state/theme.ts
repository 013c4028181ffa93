export const THEME_CHOICES = ['light', 'dark', 'auto'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type Theme = 'light' | 'dark';

/** Also read by public/theme-init.js, which runs before this module loads. */
export const THEME_STORAGE_KEY = 'ordo.theme';

export function parseThemeChoice(value: string | null | undefined): ThemeChoice {
  return THEME_CHOICES.find((choice) => choice === value) ?? 'auto';
}

export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): Theme {
  switch (choice) {
    case 'light':
    case 'dark':
      return choice;
    case 'auto':
      return prefersDark ? 'dark' : 'light';
  }
}
