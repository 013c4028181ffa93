import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** [major, minor] */
export type PythonSeries = readonly [number, number];

export interface PythonRange {
  min: PythonSeries;
  max: PythonSeries;
}

/**
 * Pythons each Odoo series runs on. Odoo only asserts a minimum up to 16.0 (maxima there are
 * the Python of the Ubuntu LTS each release targeted, a cautious guess), and declares
 * MIN/MAX_PY_VERSION from 17.0 on; what the checkout declares wins over this table.
 */
export const KNOWN_PYTHON_RANGES: Readonly<Record<string, PythonRange>> = {
  '14.0': { min: [3, 6], max: [3, 8] },
  '15.0': { min: [3, 7], max: [3, 10] },
  '16.0': { min: [3, 7], max: [3, 10] },
  '17.0': { min: [3, 10], max: [3, 12] },
  '18.0': { min: [3, 10], max: [3, 12] },
  '19.0': { min: [3, 10], max: [3, 13] },
};

// Where the range is declared moved over the years: odoo/release.py (19.0+), odoo/__init__.py
// (MIN/MAX_PY_VERSION in 17.0/18.0, a bare `assert sys.version_info > (3, 7)` before).
const SOURCES = ['odoo/release.py', 'odoo/__init__.py'];
const MIN_CONSTANT = /^\s*MIN_PY_VERSION\s*=\s*\(\s*(\d+)\s*,\s*(\d+)/m;
const MAX_CONSTANT = /^\s*MAX_PY_VERSION\s*=\s*\(\s*(\d+)\s*,\s*(\d+)/m;
const MIN_ASSERT = /^\s*assert\s+sys\.version_info\s*>=?\s*\(\s*(\d+)\s*,\s*(\d+)/m;

/** The Pythons `version` supports: declared in the checkout at `checkoutDir`, else known. */
export async function pythonRangeFor(version: string, checkoutDir: string): Promise<PythonRange> {
  let min: PythonSeries | null = null;
  let max: PythonSeries | null = null;
  for (const file of SOURCES) {
    const text = await readFile(join(checkoutDir, file), 'utf8').catch(() => '');
    min ??= series(MIN_CONSTANT.exec(text)) ?? series(MIN_ASSERT.exec(text));
    max ??= series(MAX_CONSTANT.exec(text));
  }
  const known = KNOWN_PYTHON_RANGES[version];
  return {
    min: min ?? known?.min ?? [3, 0],
    max: max ?? known?.max ?? [3, 99],
  };
}

export function formatSeries(value: PythonSeries): string {
  return `${value[0]}.${value[1]}`;
}

export function inRange(series: PythonSeries, range: PythonRange): boolean {
  return compare(series, range.min) >= 0 && compare(series, range.max) <= 0;
}

function compare(a: PythonSeries, b: PythonSeries): number {
  return a[0] - b[0] || a[1] - b[1];
}

function series(match: RegExpExecArray | null): PythonSeries | null {
  return match?.[1] && match[2] ? [Number(match[1]), Number(match[2])] : null;
}
