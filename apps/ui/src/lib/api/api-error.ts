import { TRPCClientError } from '@trpc/client';
import { z } from 'zod';

export interface ApiError {
  /** tRPC error code such as `UNAUTHORIZED` or `CONFLICT`; `null` when the server never answered. */
  code: string | null;
  message: string;
}

export const UNREACHABLE_MESSAGE =
  'Cannot reach the Ordo control plane: check your connection and try again';

// tRPC puts the zod issues of a rejected input, serialized as JSON, in the error message.
const ValidationIssues = z.array(z.object({ message: z.string() })).min(1);
const ErrorData = z.object({ code: z.string() });

/** Reads the code and a human message out of whatever a tRPC call threw. */
export function readApiError(error: unknown): ApiError {
  if (error instanceof TRPCClientError) {
    const data = ErrorData.safeParse(error.data);
    if (!data.success && error.cause instanceof TypeError) {
      return { code: null, message: UNREACHABLE_MESSAGE };
    }
    return {
      code: data.success ? data.data.code : null,
      message: readableMessage(error.message),
    };
  }
  if (error instanceof Error) return { code: null, message: readableMessage(error.message) };
  return { code: null, message: String(error) };
}

function readableMessage(message: string): string {
  if (!message.trimStart().startsWith('[')) return message;
  try {
    const issues = ValidationIssues.safeParse(JSON.parse(message));
    return issues.success ? issues.data.map((issue) => issue.message).join('; ') : message;
  } catch {
    return message;
  }
}
