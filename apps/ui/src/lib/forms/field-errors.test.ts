import { UserCreateInput } from '@ordo/protocol/panel';
import { describe, expect, it } from 'vitest';
import { checkForm } from './field-errors';

describe('checkForm', () => {
  it('gives the input the control plane expects, defaults included', () => {
    expect(
      checkForm(UserCreateInput, { email: 'A@Example.com', password: 'long enough pw' }),
    ).toEqual({
      ok: true,
      input: {
        email: 'a@example.com',
        password: 'long enough pw',
        role: 'viewer',
        allowUserManagement: false,
        serverId: null,
        sendWelcomeEmail: true,
      },
    });
  });

  it('gives one message per field, from the protocol schema', () => {
    expect(checkForm(UserCreateInput, { email: 'nope', password: 'short', role: 'root' })).toEqual({
      ok: false,
      errors: {
        email: 'Enter a valid email address',
        password: 'The password must be at least 10 characters',
        role: 'Choose a role',
      },
    });
  });
});
