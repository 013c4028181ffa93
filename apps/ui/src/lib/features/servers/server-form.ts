import { ServerCreateInput, ServerUpdateInput } from '@ordo/protocol/panel';
import type { ServerView } from '@ordo/protocol/panel';
import type { z } from 'zod';

export interface ServerFormValues {
  name: string;
  agentUrl: string;
  domain: string;
  token: string;
}
export type ServerFormField = keyof ServerFormValues;
export type ServerFormErrors = Partial<Record<ServerFormField, string>>;

type Validated<T> = { ok: true; input: T } | { ok: false; errors: ServerFormErrors };

const FIELDS: readonly ServerFormField[] = ['name', 'agentUrl', 'domain', 'token'];

export function emptyServerForm(): ServerFormValues {
  return { name: '', agentUrl: '', domain: '', token: '' };
}

/** The edit form starts blank on the token: the control plane never sends it back. */
export function serverToForm(server: ServerView): ServerFormValues {
  return { name: server.name, agentUrl: server.agentUrl, domain: server.domain, token: '' };
}

export function validateCreate(
  values: ServerFormValues,
): Validated<z.output<typeof ServerCreateInput>> {
  return toValidated(ServerCreateInput.safeParse(values));
}

export function validateUpdate(
  id: string,
  values: ServerFormValues,
): Validated<z.output<typeof ServerUpdateInput>> {
  const { token, ...rest } = values;
  const keepToken = token.trim() === '';
  return toValidated(ServerUpdateInput.safeParse(keepToken ? { id, ...rest } : { id, ...values }));
}

/** Which field a server refusal belongs to, so the message lands next to it. */
export function fieldForServerError(code: string | null): ServerFormField | null {
  return code === 'CONFLICT' ? 'name' : null;
}

function toValidated<T>(result: z.ZodSafeParseResult<T>): Validated<T> {
  if (result.success) return { ok: true, input: result.data };
  const errors: ServerFormErrors = {};
  for (const issue of result.error.issues) {
    const field = FIELDS.find((candidate) => candidate === issue.path[0]);
    if (field && errors[field] === undefined) errors[field] = issue.message;
  }
  return { ok: false, errors };
}
