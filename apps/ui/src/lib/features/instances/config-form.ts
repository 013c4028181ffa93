import { InstanceConfigSettings, InstanceConfigUpdate } from '@ordo/protocol';
import type { OdooLogLevel } from '@ordo/protocol';
import type { z } from 'zod';

type Settings = z.output<typeof InstanceConfigSettings>;
type Update = z.output<typeof InstanceConfigUpdate>;

const MB = 1024 * 1024;
const SETTING_KEYS = InstanceConfigSettings.keyof().options;

/** The numeric odoo.conf settings, in the order the dialog shows them. */
export const NUMBER_FIELDS = [
  {
    key: 'workers',
    label: 'Workers',
    unit: '',
    scale: 1,
    hint: '0 runs Odoo threaded; with workers, Odoo forks one process per worker.',
  },
  { key: 'maxCronThreads', label: 'Cron threads', unit: '', scale: 1, hint: 'Scheduled actions.' },
  { key: 'limitMemorySoft', label: 'Memory soft limit', unit: 'MB', scale: MB, hint: '' },
  { key: 'limitMemoryHard', label: 'Memory hard limit', unit: 'MB', scale: MB, hint: '' },
  { key: 'limitTimeCpu', label: 'CPU time limit', unit: 's', scale: 1, hint: 'Per request.' },
  { key: 'limitTimeReal', label: 'Real time limit', unit: 's', scale: 1, hint: 'Per request.' },
  {
    key: 'limitTimeRealCron',
    label: 'Cron real time limit',
    unit: 's',
    scale: 1,
    hint: '-1 uses the real time limit, 0 means none.',
  },
  {
    key: 'limitRequest',
    label: 'Requests per worker',
    unit: '',
    scale: 1,
    hint: 'A worker is recycled after this many.',
  },
  { key: 'dbMaxconn', label: 'Database connections', unit: '', scale: 1, hint: 'Per process.' },
] as const satisfies readonly {
  key: keyof Settings;
  label: string;
  unit: string;
  scale: number;
  hint: string;
}[];

export const FLAG_FIELDS = [
  {
    key: 'proxyMode',
    label: 'Proxy mode',
    hint: 'Trust the X-Forwarded-* headers of the reverse proxy in front of Odoo.',
  },
  {
    key: 'withoutDemo',
    label: 'No demo data',
    hint: 'Modules installed from now on load no demonstration records.',
  },
] as const satisfies readonly { key: keyof Settings; label: string; hint: string }[];

export type NumberKey = (typeof NUMBER_FIELDS)[number]['key'];
export type FlagKey = (typeof FLAG_FIELDS)[number]['key'];
export type ConfigField = NumberKey | FlagKey | 'logLevel' | 'extraAddonsPaths';

/** The dialog's editable state: numbers as typed, addons paths one per line. */
export interface ConfigFormValues {
  numbers: Record<NumberKey, string>;
  flags: Record<FlagKey, boolean>;
  logLevel: OdooLogLevel;
  extraAddonsPaths: string;
}

export type ConfigFormErrors = Partial<Record<ConfigField, string>>;

export type ConfigFormResult =
  { ok: true; update: Update; changed: number } | { ok: false; errors: ConfigFormErrors };

export function configToForm(settings: Settings): ConfigFormValues {
  return {
    numbers: mapNumberFields((field) => formatNumber(settings[field.key] / field.scale)),
    flags: { proxyMode: settings.proxyMode, withoutDemo: settings.withoutDemo },
    logLevel: settings.logLevel,
    extraAddonsPaths: settings.extraAddonsPaths.join('\n'),
  };
}

/**
 * Turns the form back into settings, checked by the protocol schema, and keeps only what
 * changed: saving restarts the instance, so an untouched form sends nothing.
 */
export function formToUpdate(original: Settings, values: ConfigFormValues): ConfigFormResult {
  const errors: ConfigFormErrors = {};
  const candidate: Settings = { ...original };
  for (const field of NUMBER_FIELDS) {
    const text = values.numbers[field.key].trim();
    const number = Number(text);
    if (text === '' || !Number.isFinite(number)) {
      errors[field.key] = 'Enter a number';
      continue;
    }
    // Whole units stay as typed so the schema can refuse 1.5 workers; MB become whole bytes.
    candidate[field.key] = field.scale === 1 ? number : Math.round(number * field.scale);
  }
  candidate.proxyMode = values.flags.proxyMode;
  candidate.withoutDemo = values.flags.withoutDemo;
  candidate.logLevel = values.logLevel;
  candidate.extraAddonsPaths = values.extraAddonsPaths
    .split('\n')
    .map((path) => path.trim())
    .filter(Boolean);

  const parsed = InstanceConfigSettings.safeParse(candidate);
  if (!parsed.success) collectErrors(parsed.error.issues, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const update: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    if (!sameValue(candidate[key], original[key])) update[key] = candidate[key];
  }
  // The soft/hard memory rule needs both limits, even when only one of them changed.
  if ('limitMemorySoft' in update || 'limitMemoryHard' in update) {
    update.limitMemorySoft = candidate.limitMemorySoft;
    update.limitMemoryHard = candidate.limitMemoryHard;
  }
  const checked = InstanceConfigUpdate.safeParse(update);
  if (!checked.success) {
    collectErrors(checked.error.issues, errors);
    return { ok: false, errors };
  }
  return { ok: true, update: checked.data, changed: countChanges(original, candidate) };
}

function collectErrors(issues: readonly z.core.$ZodIssue[], errors: ConfigFormErrors): void {
  for (const issue of issues) {
    const key = issue.path[0];
    if (typeof key !== 'string' || !isConfigField(key) || errors[key] !== undefined) continue;
    errors[key] = describeIssue(issue, key);
  }
}

/** Range messages in the unit the user typed (MB, not bytes). */
function describeIssue(issue: z.core.$ZodIssue, key: ConfigField): string {
  const field = NUMBER_FIELDS.find((candidate) => candidate.key === key);
  if (!field) return issue.message;
  const unit = field.unit ? ` ${field.unit}` : '';
  if (issue.code === 'too_small')
    return `At least ${formatNumber(Number(issue.minimum) / field.scale)}${unit}`;
  if (issue.code === 'too_big')
    return `At most ${formatNumber(Number(issue.maximum) / field.scale)}${unit}`;
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'Enter a whole number';
  if (key === 'limitMemorySoft' && issue.code === 'custom') {
    return 'The soft limit must not exceed the hard limit';
  }
  return issue.message;
}

function isConfigField(key: string): key is ConfigField {
  return (
    key === 'logLevel' ||
    key === 'extraAddonsPaths' ||
    NUMBER_FIELDS.some((field) => field.key === key) ||
    FLAG_FIELDS.some((field) => field.key === key)
  );
}

function countChanges(original: Settings, candidate: Settings): number {
  return SETTING_KEYS.filter((key) => !sameValue(candidate[key], original[key])).length;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => item === b[index]);
  }
  return a === b;
}

function mapNumberFields<T>(
  value: (field: (typeof NUMBER_FIELDS)[number]) => T,
): Record<NumberKey, T> {
  // fromEntries loses the key type; the entries are exactly NUMBER_FIELDS' keys.
  return Object.fromEntries(NUMBER_FIELDS.map((field) => [field.key, value(field)])) as Record<
    NumberKey,
    T
  >;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}
