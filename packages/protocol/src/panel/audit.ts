import { z } from 'zod';
import { Role } from './auth';

export const AuditResult = z.enum(['ok', 'error']);
export type AuditResult = z.infer<typeof AuditResult>;

/** One recorded mutation. Parameters are stored with passwords, tokens and codes redacted. */
export const AuditEntryView = z.object({
  id: z.string(),
  /** ISO timestamp. */
  at: z.string(),
  userId: z.string().nullable(),
  /** Who, as they were when it happened (the attempted email for a failed sign-in). */
  userEmail: z.string().nullable(),
  role: Role.nullable(),
  /** The procedure, e.g. `servers.create`. */
  action: z.string(),
  /** What it acted on, e.g. `server 3f9a…` or `instance prod-1/shop`; null when nothing named. */
  target: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  /** `pending` only while the mutation runs (or when the process died during it). */
  result: z.enum(['pending', 'ok', 'error']),
  /** The tRPC error code, e.g. FORBIDDEN. */
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  ip: z.string().nullable(),
  /** Agent jobs this action started. */
  jobIds: z.array(z.string()),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AUDIT_LIST_MAX = 500;

/** `audit.list` input; newest first. Dates are ISO timestamps, `to` exclusive. */
export const AuditListInput = z
  .object({
    userId: z.uuid().optional(),
    action: z.string().trim().max(100).optional(),
    result: AuditResult.optional(),
    from: z.iso.datetime({ offset: true, error: 'Enter a valid start date' }).optional(),
    to: z.iso.datetime({ offset: true, error: 'Enter a valid end date' }).optional(),
    /** Matches the email, the action, the target or the address. */
    search: z.string().trim().max(200).optional(),
    limit: z.number().int().min(1).max(AUDIT_LIST_MAX).default(200),
  })
  .default({ limit: 200 });
export type AuditListInput = z.input<typeof AuditListInput>;

/** `audit.actions` answer: the distinct actions recorded, for the filter. */
export const AuditActions = z.array(z.string());
