import { readApiError } from './api/api-error';
import type { ApiError } from './api/api-error';
import { sessionManager } from './state/session.svelte';
import { toastManager } from './state/toasts.svelte';

/**
 * The one place unexpected failures end up: shows `message` and the server's reason in a toast.
 * An expired session sends the user back to the login page instead.
 */
export function handleError(error: unknown, message: string): ApiError {
  const apiError = readApiError(error);
  if (apiError.code === 'UNAUTHORIZED' && sessionManager.status === 'signed-in') {
    sessionManager.signOut();
    toastManager.show('info', 'Your session has ended: sign in again');
    return apiError;
  }
  console.error(message, error);
  toastManager.show('error', `${message}: ${apiError.message}`);
  return apiError;
}
