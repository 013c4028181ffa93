import type { z } from 'zod';

export type FieldErrors = Record<string, string | undefined>;

export type Checked<T> = { ok: true; input: T } | { ok: false; errors: FieldErrors };

/** The first message of each field (the top-level path segment), for a form to show. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return errors;
}

/** Parses form values with a protocol schema: the input to send, or the messages to show. */
export function checkForm<S extends z.ZodType>(schema: S, values: unknown): Checked<z.output<S>> {
  const parsed = schema.safeParse(values);
  return parsed.success
    ? { ok: true, input: parsed.data }
    : { ok: false, errors: fieldErrors(parsed.error.issues) };
}
