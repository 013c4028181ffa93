import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  CloneInstanceInput,
  InstanceName,
  RestoreQuery,
  type BackupDeleted,
  type BackupList,
  type JobAccepted,
  type RestoreAccepted,
} from '@ordo/protocol';
import { Hono, type Context } from 'hono';
import type { AgentEnv } from '../app-env';
import { backupPaths, downloadName } from '../backups/backup-paths';
import { deleteBackup, listBackups, requireBackup } from '../backups/backup-record';
import { startBackup } from '../backups/start-backup';
import { AgentError } from '../errors';
import type { InstanceDeps } from '../instances/instance-deps';
import { requireInstance } from '../instances/require-instance';
import { startRestore, type RestoreLimits } from '../restore/start-restore';
import { startClone } from '../clone/start-clone';
import { requestedBy } from './requested-by';
import { jsonBody, parseInput } from './validate';

export function backupRoutes(deps: InstanceDeps, limits: RestoreLimits) {
  const name = (c: Context<AgentEnv>) => parseInput(InstanceName, c.req.param('name'), 'name');

  return new Hono<AgentEnv>()
    .post('/v1/instances/:name/backups', async (c) => {
      const body: JobAccepted = { job: await startBackup(deps, name(c), requestedBy(c)) };
      return c.json(body, 202);
    })
    .get('/v1/instances/:name/backups', async (c) => {
      const instance = name(c);
      await requireInstance(deps, instance);
      const body: BackupList = { backups: await listBackups(deps.root, instance) };
      return c.json(body);
    })
    .get('/v1/backups/:id/download', async (c) => {
      const backup = await requireBackup(deps.root, c.req.param('id'));
      const path = backupPaths(deps.root, backup.instance, backup.id).zip;
      const size = await stat(path).then(
        (info) => info.size,
        () => {
          throw new AgentError('not_found', 404, `The file of backup ${backup.id} is missing`);
        },
      );
      const found = await requireInstance(deps, backup.instance).catch(() => null);
      const filename = downloadName(found?.database ?? backup.instance, new Date(backup.createdAt));
      const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
      return new Response(body, {
        headers: {
          'content-type': 'application/zip',
          'content-length': String(size),
          'content-disposition': `attachment; filename="${filename}"`,
        },
      });
    })
    .delete('/v1/backups/:id', async (c) => {
      await deleteBackup(deps.root, await requireBackup(deps.root, c.req.param('id')));
      const body: BackupDeleted = { ok: true };
      return c.json(body);
    })
    .post('/v1/instances/:name/clone', async (c) => {
      const source = name(c);
      const input = parseInput(CloneInstanceInput, await jsonBody(c), 'body');
      return c.json(await startClone(deps, source, input, requestedBy(c)), 202);
    })
    .post('/v1/instances/:name/restore', async (c) => {
      const instance = name(c);
      const options = parseInput(RestoreQuery, c.req.query(), 'query');
      const contentType = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
      if (!['application/zip', 'application/octet-stream'].includes(contentType)) {
        throw new AgentError(
          'bad_request',
          400,
          'Send the backup as the raw body with Content-Type application/zip or application/octet-stream',
        );
      }
      const body: RestoreAccepted = await startRestore(deps, limits, {
        name: instance,
        request: c.req.raw,
        options,
        requestedBy: requestedBy(c),
      });
      return c.json(body, 202);
    });
}
