import { describe, expect, it } from 'vitest';
import { ConfigError, loadControlConfig } from '../src/config';

function issuesOf(value: string): Record<string, string> {
  try {
    loadControlConfig({ ORDO_METRICS_INTERVAL_MS: value });
  } catch (error) {
    if (error instanceof ConfigError) {
      return Object.fromEntries(error.issues.map((issue) => [issue.variable, issue.message]));
    }
    throw error;
  }
  return {};
}

describe('ORDO_METRICS_INTERVAL_MS', () => {
  it('defaults to 5 s and accepts 0 (polling off)', () => {
    expect(loadControlConfig({}).metricsIntervalMs).toBe(5000);
    expect(loadControlConfig({ ORDO_METRICS_INTERVAL_MS: '0' }).metricsIntervalMs).toBe(0);
    expect(loadControlConfig({ ORDO_METRICS_INTERVAL_MS: '300' }).metricsIntervalMs).toBe(300);
  });

  it.each([
    ['soon', 'must be a number'],
    ['2.5', 'must be a whole number of milliseconds'],
    ['50', 'must be 0 (off) or at least 100 ms'],
    ['3600001', 'must be at most 3600000 ms'],
  ])('refuses %j: %s', (value, message) => {
    expect(issuesOf(value)).toEqual({ ORDO_METRICS_INTERVAL_MS: message });
  });
});
