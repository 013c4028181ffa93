import { parseThemeChoice, resolveTheme, THEME_STORAGE_KEY } from './theme';
import type { ThemeChoice } from './theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

class ThemeManager {
  choice = $state<ThemeChoice>('auto');
  #prefersDark = $state(false);

  /** Reads the remembered choice and follows the system setting while on Auto. */
  init(): void {
    this.choice = parseThemeChoice(readStoredChoice());
    const media = window.matchMedia(DARK_QUERY);
    this.#prefersDark = media.matches;
    media.addEventListener('change', (event) => {
      this.#prefersDark = event.matches;
      this.#apply();
    });
    this.#apply();
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      localStorage.setItem(THEME_STORAGE_KEY, choice);
    } catch {
      // Private browsing can refuse storage; the theme still applies for this visit.
    }
    this.#apply();
  }

  #apply(): void {
    const root = document.documentElement;
    // Colours switch at once; without this every button would fade through its hover transition.
    root.dataset.themeSwitching = '';
    root.dataset.theme = resolveTheme(this.choice, this.#prefersDark);
    void document.body.offsetHeight; // forces the restyle while transitions are off
    delete root.dataset.themeSwitching;
  }
}

function readStoredChoice(): string | null {
  try {
    return localStorage.getItem(THEME_STORAGE_KEY);
  } catch {
    return null;
  }
}

export const themeManager = new ThemeManager();
