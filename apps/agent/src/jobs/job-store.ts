import { appendFile, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Job } from '@ordo/protocol';
import { z } from 'zod';
import type { ProcessIdentity } from '../system/process-identity';
import { isNotFound, writeFileAtomic } from '../system/write-file-atomic';
import { isJobId } from './job-id';

const ProcessList = z.array(
  z.object({ pid: z.number().int().positive(), startTicks: z.number().int().nonnegative() }),
);

/** A job record on disk that cannot be read back. */
export class UnreadableJobError extends Error {
  override readonly name = 'UnreadableJobError';
}

/**
 * Jobs on disk: `<root>/jobs/<id>.json` (the record, replaced atomically), `<id>.log` (the log,
 * append-only) and, while it runs, `<id>.procs.json` (its child processes, for reaping after a
 * crash). Ids are checked before they become paths.
 */
export class JobStore {
  readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, 'jobs');
  }

  async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Removes temporary files of writes a crash interrupted; only safe before any job runs. */
  async removeLeftovers(): Promise<void> {
    await this.ensureDir();
    const names = await readdir(this.dir);
    await Promise.all(
      names.filter((name) => name.endsWith('.tmp')).map((name) => rm(join(this.dir, name))),
    );
  }

  logPath(id: string): string {
    return this.path(id, '.log');
  }

  async write(job: Job): Promise<void> {
    await writeFileAtomic(this.path(job.id, '.json'), `${JSON.stringify(job, null, 2)}\n`);
  }

  /** The record, or null when there is none; throws {@link UnreadableJobError} if it is broken. */
  async read(id: string): Promise<Job | null> {
    let text: string;
    try {
      text = await readFile(this.path(id, '.json'), 'utf8');
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new UnreadableJobError(`Job record ${id} is not valid JSON`, { cause: error });
    }
    const parsed = Job.safeParse(json);
    if (!parsed.success || parsed.data.id !== id) {
      const issue = parsed.success ? 'id does not match its file name' : parsed.error.message;
      throw new UnreadableJobError(`Job record ${id} is invalid: ${issue}`);
    }
    return parsed.data;
  }

  /** Ids of every recorded job, newest first. */
  async ids(): Promise<string[]> {
    const names = await readdir(this.dir).catch((error: unknown) => {
      if (isNotFound(error)) return [];
      throw error;
    });
    return names
      .filter((name) => name.endsWith('.json') && !name.endsWith('.procs.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter(isJobId)
      .sort()
      .reverse();
  }

  async createLog(id: string): Promise<void> {
    await appendFile(this.logPath(id), '');
  }

  async appendLog(id: string, data: Buffer): Promise<void> {
    await appendFile(this.logPath(id), data);
  }

  async logSize(id: string): Promise<number> {
    try {
      return (await stat(this.logPath(id))).size;
    } catch (error) {
      if (isNotFound(error)) return 0;
      throw error;
    }
  }

  async writeProcesses(id: string, processes: readonly ProcessIdentity[]): Promise<void> {
    const path = this.path(id, '.procs.json');
    if (processes.length === 0) await rm(path, { force: true });
    else await writeFileAtomic(path, JSON.stringify(processes));
  }

  /** The recorded child processes of a job; an unreadable list counts as empty. */
  async readProcesses(id: string): Promise<ProcessIdentity[]> {
    try {
      const parsed = ProcessList.safeParse(
        JSON.parse(await readFile(this.path(id, '.procs.json'), 'utf8')),
      );
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  private path(id: string, suffix: string): string {
    if (!isJobId(id)) throw new Error(`Refusing to use "${id}" as a job id in a path`);
    return join(this.dir, `${id}${suffix}`);
  }
}
