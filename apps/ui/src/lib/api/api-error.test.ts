import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { readApiError, UNREACHABLE_MESSAGE } from './api-error';

function serverError(code: string, message: string): TRPCClientError<never> {
  return TRPCClientError.from({
    error: { code: -32001, message, data: { code, httpStatus: 401, path: 'auth.login' } },
  });
}

describe('readApiError', () => {
  it('reads the tRPC code and message of a server error', () => {
    expect(readApiError(serverError('UNAUTHORIZED', 'Wrong email or password'))).toEqual({
      code: 'UNAUTHORIZED',
      message: 'Wrong email or password',
    });
  });

  it('turns serialized validation issues into their messages', () => {
    const issues = JSON.stringify([
      { code: 'custom', path: ['agentUrl'], message: 'Agent URL must be an http:// address' },
      { code: 'too_small', path: ['token'], message: 'The agent token is at least 16 characters' },
    ]);
    expect(readApiError(serverError('BAD_REQUEST', issues))).toEqual({
      code: 'BAD_REQUEST',
      message: 'Agent URL must be an http:// address; The agent token is at least 16 characters',
    });
  });

  it('keeps a message that merely starts with a bracket', () => {
    expect(readApiError(serverError('CONFLICT', '[x] is taken')).message).toBe('[x] is taken');
  });

  it('says the control plane is unreachable when fetch itself failed', () => {
    const error = TRPCClientError.from(new TypeError('Failed to fetch'));
    expect(readApiError(error)).toEqual({ code: null, message: UNREACHABLE_MESSAGE });
  });

  it('reads plain errors and thrown values', () => {
    expect(readApiError(new Error('boom'))).toEqual({ code: null, message: 'boom' });
    expect(readApiError('nope')).toEqual({ code: null, message: 'nope' });
  });
});
