import { z } from 'zod';

/** Every agent error answer: `{ error: { code, message } }` with a fitting HTTP status. */
export const AgentErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string().optional(),
  }),
});
export type AgentErrorBody = z.infer<typeof AgentErrorBody>;

/** Codes the agent puts in `error.code`. */
export const AgentErrorCode = z.enum([
  'unauthorized',
  'bad_request',
  'not_found',
  'conflict',
  'payload_too_large',
  'unavailable',
  'internal',
  /** A pull of the same repository is running; retry when its job ended. */
  'pull_in_progress',
]);
export type AgentErrorCode = z.infer<typeof AgentErrorCode>;
