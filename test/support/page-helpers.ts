import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { REPO_ROOT } from './repo-paths';

const WAIT_MS = 15_000;

/** Waits until the locator's text contains `text` (playwright-core has no auto-waiting expect). */
export async function waitForText(
  locator: Locator,
  text: string,
  timeoutMs: number = WAIT_MS,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.textContent({ timeout: timeoutMs })) ?? '';
    if (last.includes(text)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Expected text "${text}" in the element, got "${last.trim()}"`);
}

export async function themeOf(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.documentElement.dataset.theme);
}

export async function waitForTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.waitForFunction(
    (expected) => document.documentElement.dataset.theme === expected,
    theme,
    {
      timeout: WAIT_MS,
    },
  );
}

/** Saves a screenshot of `page` as `.tmp/<name>.png` at the repository root, for review. */
export async function saveScreenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<Buffer> {
  const dir = join(REPO_ROOT, '.tmp');
  await mkdir(dir, { recursive: true });
  return page.screenshot({ path: join(dir, `${name}.png`), ...options });
}
