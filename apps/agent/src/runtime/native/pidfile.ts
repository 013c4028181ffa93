import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../system/write-file-atomic';

/** `<instance>/odoo.pid`: the main Odoo process, recognisable even after its pid is reused. */
export const PidFile = z.object({
  pid: z.number().int().positive(),
  startTicks: z.number().int().nonnegative(),
  /** The odoo.conf it was started with: its command line says `-c <conf>`. */
  conf: z.string().min(1),
});
export type PidFile = z.infer<typeof PidFile>;

/** `<instance>/odoo.failed.json`: why the supervisor gave up; cleared by the next start. */
export const FailureMarker = z.object({ reason: z.string(), at: z.string() });
export type FailureMarker = z.infer<typeof FailureMarker>;

export function pidfilePath(instanceDir: string): string {
  return join(instanceDir, 'odoo.pid');
}

export function failurePath(instanceDir: string): string {
  return join(instanceDir, 'odoo.failed.json');
}

export function stdoutLogPath(instanceDir: string): string {
  return join(instanceDir, 'odoo.stdout.log');
}

export async function readPidFile(instanceDir: string): Promise<PidFile | null> {
  return readJson(pidfilePath(instanceDir), PidFile);
}

export async function writePidFile(instanceDir: string, content: PidFile): Promise<void> {
  await writeFileAtomic(pidfilePath(instanceDir), `${JSON.stringify(content)}\n`);
}

export async function removePidFile(instanceDir: string): Promise<void> {
  await rm(pidfilePath(instanceDir), { force: true });
}

export async function readFailure(instanceDir: string): Promise<FailureMarker | null> {
  return readJson(failurePath(instanceDir), FailureMarker);
}

export async function writeFailure(instanceDir: string, marker: FailureMarker): Promise<void> {
  await writeFileAtomic(failurePath(instanceDir), `${JSON.stringify(marker)}\n`);
}

export async function clearFailure(instanceDir: string): Promise<void> {
  await rm(failurePath(instanceDir), { force: true });
}

/** A missing, unreadable or malformed file all mean "nothing recorded". */
async function readJson<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S> | null> {
  try {
    const parsed = schema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
