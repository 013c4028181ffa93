import { describe, expect, it } from 'vitest';
import { auditQuery, describeParams, emptyAuditFilter } from './audit-filter';

describe('audit filters', () => {
  it('asks for everything when nothing is chosen', () => {
    expect(auditQuery(emptyAuditFilter())).toEqual({ ok: true, input: { limit: 200 } });
  });

  it('includes the whole "to" day', () => {
    const checked = auditQuery({ ...emptyAuditFilter(), from: '2030-05-01', to: '2030-05-01' });
    if (!checked.ok) throw new Error('expected a valid query');
    const from = new Date(checked.input.from ?? '');
    const to = new Date(checked.input.to ?? '');
    expect(to.getTime() - from.getTime()).toBe(24 * 60 * 60 * 1000);
    expect(from.getDate()).toBe(1);
  });

  it('passes the user, action, result and search', () => {
    expect(
      auditQuery({
        ...emptyAuditFilter(),
        userId: '3f2c1a4e-8d9b-4c7a-9e21-5b6d7f8a9c0d',
        action: 'servers.create',
        result: 'error',
        search: '  10.0.0.1 ',
      }),
    ).toMatchObject({
      ok: true,
      input: { action: 'servers.create', result: 'error', search: '10.0.0.1' },
    });
  });

  it('prints the parameters one per line', () => {
    expect(describeParams({ name: 'shop', token: '[redacted]', settings: { workers: 2 } })).toBe(
      'name: shop\ntoken: [redacted]\nsettings: {"workers":2}',
    );
  });
});
