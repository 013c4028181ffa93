import type { InstanceConfigSettings } from '@ordo/protocol';
import { describe, expect, it } from 'vitest';
import { configToForm, formToUpdate } from './config-form';

const MB = 1024 * 1024;

const SETTINGS: InstanceConfigSettings = {
  workers: 2,
  maxCronThreads: 1,
  limitMemorySoft: 2048 * MB,
  limitMemoryHard: 2560 * MB,
  limitTimeCpu: 60,
  limitTimeReal: 120,
  limitTimeRealCron: -1,
  limitRequest: 65536,
  dbMaxconn: 64,
  proxyMode: true,
  logLevel: 'info',
  withoutDemo: true,
  extraAddonsPaths: ['/opt/addons'],
};

describe('configToForm', () => {
  it('shows memory limits in MB and addons paths one per line', () => {
    const values = configToForm(SETTINGS);
    expect(values.numbers.limitMemorySoft).toBe('2048');
    expect(values.numbers.workers).toBe('2');
    expect(values.flags).toEqual({ proxyMode: true, withoutDemo: true });
    expect(values.extraAddonsPaths).toBe('/opt/addons');
  });
});

describe('formToUpdate', () => {
  it('sends nothing for an untouched form', () => {
    expect(formToUpdate(SETTINGS, configToForm(SETTINGS))).toEqual({
      ok: true,
      update: {},
      changed: 0,
    });
  });

  it('sends only the changed settings, converted back to the wire units', () => {
    const values = configToForm(SETTINGS);
    values.numbers.workers = '4';
    values.logLevel = 'warn';
    values.flags.proxyMode = false;
    values.extraAddonsPaths = ' /opt/addons \n\n/srv/custom\n';
    expect(formToUpdate(SETTINGS, values)).toEqual({
      ok: true,
      update: {
        workers: 4,
        logLevel: 'warn',
        proxyMode: false,
        extraAddonsPaths: ['/opt/addons', '/srv/custom'],
      },
      changed: 4,
    });
  });

  it('sends both memory limits when one changes, so the agent can compare them', () => {
    const values = configToForm(SETTINGS);
    values.numbers.limitMemoryHard = '4096';
    const result = formToUpdate(SETTINGS, values);
    expect(result).toEqual({
      ok: true,
      update: { limitMemorySoft: 2048 * MB, limitMemoryHard: 4096 * MB },
      changed: 1,
    });
  });

  it('refuses a soft memory limit above the hard one, under the soft limit', () => {
    const values = configToForm(SETTINGS);
    values.numbers.limitMemorySoft = '3000';
    expect(formToUpdate(SETTINGS, values)).toEqual({
      ok: false,
      errors: { limitMemorySoft: 'The soft limit must not exceed the hard limit' },
    });
  });

  it('names the bad fields with the schema limits, in the units shown', () => {
    const values = configToForm(SETTINGS);
    values.numbers.workers = '99';
    values.numbers.limitMemoryHard = '10';
    values.numbers.maxCronThreads = 'abc';
    values.numbers.dbMaxconn = '1.5';
    values.extraAddonsPaths = 'relative/path';
    const result = formToUpdate(SETTINGS, values);
    expect(result).toEqual({
      ok: false,
      errors: {
        workers: 'At most 64',
        limitMemoryHard: 'At least 64 MB',
        maxCronThreads: 'Enter a number',
        dbMaxconn: 'Enter a whole number',
        extraAddonsPaths: 'must be an absolute path without commas',
      },
    });
  });
});
