import { describe, expect, it } from 'vitest';
import {
  emptyCreateForm,
  enterpriseAvailable,
  fieldForCreateError,
  productionParents,
  validateCreateForm,
} from './create-form';

const SERVER = '5b0c2f7e-3c55-4b4e-9a53-0f0c8f6d2a11';
const INSTALLED = [
  { version: '17.0', edition: 'community' as const },
  { version: '18.0', edition: 'enterprise' as const },
];

const form = (overrides: Partial<ReturnType<typeof emptyCreateForm>> = {}) => ({
  ...emptyCreateForm(SERVER),
  version: '17.0',
  name: 'shop',
  ...overrides,
});

describe('validateCreateForm', () => {
  it('builds the protocol input of a production instance, admin login defaulting to admin', () => {
    expect(validateCreateForm(form(), INSTALLED)).toEqual({
      ok: true,
      input: {
        serverId: SERVER,
        name: 'shop',
        version: '17.0',
        edition: 'community',
        adminLogin: 'admin',
        type: 'production',
        parent: null,
      },
    });
  });

  it('sends the parent of a staging instance', () => {
    const result = validateCreateForm(
      form({ name: 'shop-test', type: 'staging', parent: 'shop' }),
      INSTALLED,
    );
    expect(result.ok && result.input.parent).toBe('shop');
  });

  it('asks for a server, a version and a parent before anything else', () => {
    const result = validateCreateForm(
      form({ serverId: '', version: '', type: 'staging' }),
      INSTALLED,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        serverId: 'Choose a server',
        version: 'Choose an installed version',
        parent: 'Choose the production instance this staging copies',
      },
    });
  });

  it('refuses a version that is not installed on the server', () => {
    expect(validateCreateForm(form({ version: '16.0' }), INSTALLED)).toEqual({
      ok: false,
      errors: { version: 'Odoo 16.0 is not installed on this server' },
    });
  });

  it('refuses Enterprise where only Community is installed', () => {
    expect(validateCreateForm(form({ edition: 'enterprise' }), INSTALLED)).toEqual({
      ok: false,
      errors: { edition: 'Enterprise is not installed for Odoo 17.0 on this server' },
    });
    expect(validateCreateForm(form({ version: '18.0', edition: 'enterprise' }), INSTALLED).ok).toBe(
      true,
    );
  });

  it('uses the protocol messages for the name and the admin login', () => {
    const result = validateCreateForm(form({ name: 'Shop!', adminLogin: 'my admin' }), INSTALLED);
    expect(result).toEqual({
      ok: false,
      errors: {
        name: expect.stringContaining('lowercase letters, digits') as unknown,
        adminLogin: 'The Odoo admin login may not contain spaces, quotes or backslashes',
      },
    });
  });

  it('refuses an instance as its own parent', () => {
    const result = validateCreateForm(
      form({ name: 'shop', type: 'staging', parent: 'shop' }),
      INSTALLED,
    );
    expect(result).toEqual({
      ok: false,
      errors: { parent: 'An instance cannot be its own parent' },
    });
  });
});

describe('helpers', () => {
  it('knows where Enterprise is installed', () => {
    expect(enterpriseAvailable(INSTALLED, '17.0')).toBe(false);
    expect(enterpriseAvailable(INSTALLED, '18.0')).toBe(true);
  });

  it('offers the production instances of the chosen server as parents', () => {
    const instances = [
      { serverId: SERVER, name: 'zeta', type: 'production' as const },
      { serverId: SERVER, name: 'alpha', type: 'production' as const },
      { serverId: SERVER, name: 'alpha-test', type: 'staging' as const },
      { serverId: 'other', name: 'elsewhere', type: 'production' as const },
    ];
    expect(productionParents(instances, SERVER)).toEqual(['alpha', 'zeta']);
  });

  it('puts a name conflict under the name field', () => {
    expect(fieldForCreateError('CONFLICT')).toBe('name');
    expect(fieldForCreateError('BAD_GATEWAY')).toBeNull();
  });
});
