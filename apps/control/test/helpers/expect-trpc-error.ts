import { TRPCClientError } from '@trpc/client';
import { expect } from 'vitest';

/** Asserts that a call failed with this tRPC code, HTTP status and exact message. */
export async function expectTrpcError(
  call: Promise<unknown>,
  expected: { code: string; status: number; message: string | RegExp },
): Promise<void> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(TRPCClientError);
  if (!(error instanceof TRPCClientError)) return;
  if (typeof expected.message === 'string') expect(error.message).toBe(expected.message);
  else expect(error.message).toMatch(expected.message);
  expect(error.data).toMatchObject({ code: expected.code, httpStatus: expected.status });
}
