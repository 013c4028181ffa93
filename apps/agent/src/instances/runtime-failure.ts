import { AgentError } from '../errors';
import { RuntimeError } from '../runtime/runtime';

/** A runtime that cannot act is a 503 with its own message (it names what to fix). */
export function runtimeUnavailable(error: RuntimeError): AgentError {
  return new AgentError('unavailable', 503, error.message, { cause: error });
}

/** Runs `work`, turning a {@link RuntimeError} into a 503. */
export async function mapRuntimeErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RuntimeError) throw runtimeUnavailable(error);
    throw error;
  }
}
