import { describe, expect, it } from 'vitest';
import { parseQuotaField, quotaToField } from './quota-form';

describe('instance quota field', () => {
  it('reads blank as no limit and a whole number as the limit', () => {
    expect(parseQuotaField('  ')).toEqual({ ok: true, quota: { maxInstances: null } });
    expect(parseQuotaField('25')).toEqual({ ok: true, quota: { maxInstances: 25 } });
  });

  it('refuses zero, fractions and text with the protocol message', () => {
    expect(parseQuotaField('0')).toEqual({
      ok: false,
      message: 'The quota is at least 1 instance',
    });
    expect(parseQuotaField('2.5')).toEqual({
      ok: false,
      message: 'Enter a whole number of instances',
    });
    expect(parseQuotaField('ten')).toMatchObject({ ok: false });
  });

  it('shows no limit as a blank field', () => {
    expect(quotaToField({ maxInstances: null })).toBe('');
    expect(quotaToField({ maxInstances: 7 })).toBe('7');
  });
});
