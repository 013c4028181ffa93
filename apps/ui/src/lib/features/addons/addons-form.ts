import type { AddonsUploadResult } from '@ordo/protocol/panel';

/** What the file picker offers: ZIP archives of Odoo modules. */
export const ADDONS_ACCEPT = '.zip,application/zip';

/** Why the chosen file cannot be sent, or null when it can. */
export function checkAddonsFile(file: { name: string; size: number } | null): string | null {
  if (file === null) return 'Choose a ZIP file of Odoo modules';
  if (!/\.zip$/i.test(file.name)) {
    return 'Choose a .zip file: pack the module folders (each with its __manifest__.py) in a ZIP';
  }
  if (file.size === 0) return 'This file is empty';
  return null;
}

/** One line of the result list: a module and what happened to it. */
export interface AddonsResultRow {
  module: string;
  change: 'added' | 'updated';
}

/** The modules of an upload's answer, by name, each marked added or updated. */
export function addonsResultRows(result: AddonsUploadResult): AddonsResultRow[] {
  return [
    ...result.added.map((module) => ({ module, change: 'added' as const })),
    ...result.updated.map((module) => ({ module, change: 'updated' as const })),
  ].sort((a, b) => a.module.localeCompare(b.module));
}

/** "2 modules added, 1 updated" */
export function describeAddonsResult(result: AddonsUploadResult): string {
  const count = (n: number) => (n === 1 ? '1 module' : `${n} modules`);
  if (result.updated.length === 0) return `${count(result.added.length)} added`;
  if (result.added.length === 0) return `${count(result.updated.length)} updated`;
  return `${count(result.added.length)} added, ${result.updated.length} updated`;
}
