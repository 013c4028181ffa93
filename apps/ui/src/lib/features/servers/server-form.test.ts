import { describe, expect, it } from 'vitest';
import { fieldForServerError, serverToForm, validateCreate, validateUpdate } from './server-form';

const ID = '0b7c8f0e-6a8f-4d8e-9a51-3c2a1d1f9e10';
const valid = {
  name: ' prod-eu ',
  agentUrl: 'http://10.0.0.5:8070/',
  domain: 'Odoo.Example.com',
  token: 'a'.repeat(32),
};

describe('validateCreate', () => {
  it('accepts a complete form and normalises it like the server does', () => {
    expect(validateCreate(valid)).toEqual({
      ok: true,
      input: {
        name: 'prod-eu',
        agentUrl: 'http://10.0.0.5:8070',
        domain: 'odoo.example.com',
        token: 'a'.repeat(32),
      },
    });
  });

  it('reports one message per invalid field, from the protocol schemas', () => {
    const result = validateCreate({
      name: '',
      agentUrl: 'ftp://x',
      domain: 'not a host',
      token: 'short',
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        name: 'Enter a server name',
        agentUrl:
          'Agent URL must be an http:// or https:// address such as http://10.0.0.5:8070, without credentials, query or fragment',
        domain: 'Domain must be a host name such as odoo.example.com',
        token: 'The agent token is at least 16 characters',
      },
    });
  });

  it('allows an empty domain', () => {
    expect(validateCreate({ ...valid, domain: '' }).ok).toBe(true);
  });
});

describe('validateUpdate', () => {
  it('leaves the token out when the field is blank, so the stored one is kept', () => {
    const result = validateUpdate(ID, { ...valid, token: '   ' });
    expect(result.ok && result.input).toEqual({
      id: ID,
      name: 'prod-eu',
      agentUrl: 'http://10.0.0.5:8070',
      domain: 'odoo.example.com',
    });
  });

  it('sends a new token when one is typed, and checks it', () => {
    const ok = validateUpdate(ID, valid);
    expect(ok.ok && ok.input.token).toBe('a'.repeat(32));
    expect(validateUpdate(ID, { ...valid, token: 'tiny' })).toEqual({
      ok: false,
      errors: { token: 'The agent token is at least 16 characters' },
    });
  });
});

describe('serverToForm', () => {
  it('copies the editable fields and leaves the token blank', () => {
    const server = {
      id: ID,
      name: 'prod-eu',
      agentUrl: 'http://10.0.0.5:8070',
      domain: 'odoo.example.com',
      tokenPreview: 'aaaa…aaaa',
      status: 'active' as const,
      instanceCount: 2,
      agentVersion: '0.1.0',
      runtime: 'native',
      lastSeenAt: null,
      lastError: null,
      latencyMs: null,
      createdAt: '2025-06-01T12:00:00Z',
    };
    expect(serverToForm(server)).toEqual({
      name: 'prod-eu',
      agentUrl: 'http://10.0.0.5:8070',
      domain: 'odoo.example.com',
      token: '',
    });
  });
});

describe('fieldForServerError', () => {
  it('puts a name conflict under the name field and the rest in the form banner', () => {
    expect(fieldForServerError('CONFLICT')).toBe('name');
    expect(fieldForServerError('BAD_REQUEST')).toBeNull();
    expect(fieldForServerError(null)).toBeNull();
  });
});
