import { BackupId, InstanceName, RestoreQuery } from '@ordo/protocol';
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../config';
import type { ControlDeps } from '../deps';
import { ValidationError } from '../errors';
import { openBackupDownload, restoreInstance } from '../features/backups';
import { limitedBody } from './limited-body';
import { runPanelApiCall } from './panel-api-call';

/** Backups hold the whole database: reading one is operating the instance, as making one is. */
const OPERATE = { permission: 'instances.operate', target: 'instance' } as const;
const UPLOAD_TYPES = ['application/zip', 'application/octet-stream'];

function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? `${what}.${issue.path.join('.')}` : what;
    throw new ValidationError(`${path}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The agent's restore query, checked here too so that a bad option fails before the upload. */
function restoreQueryOf(c: Context): RestoreQuery {
  const options = checked(RestoreQuery, c.req.query(), 'query');
  const flag = (value: boolean) => (value ? 'true' : 'false');
  return {
    neutralize: flag(options.neutralize),
    resetAdminPassword: flag(options.resetAdminPassword),
    safetyBackup: flag(options.safetyBackup),
    copy: flag(options.copy),
  };
}

/**
 * The streamed backup routes (tRPC carries JSON only), under the same session, permission,
 * server-restriction and audit rules as a procedure (`runPanelApiCall`):
 * - the download of a backup ZIP, passed through from the agent to the browser;
 * - the upload of a backup to restore, passed through from the browser to the agent.
 * Neither is ever held whole in memory or written to disk here.
 */
export function backupRoutes(deps: ControlDeps): Hono {
  return new Hono()
    .get('/api/servers/:serverId/instances/:name/backups/:backupId/download', (c) => {
      const params = {
        serverId: c.req.param('serverId'),
        name: c.req.param('name'),
        backupId: c.req.param('backupId'),
      };
      return runPanelApiCall(deps, c, {
        action: 'backups.download',
        meta: OPERATE,
        input: params,
        run: async (caller) => {
          const ref = {
            serverId: params.serverId,
            name: checked(InstanceName, params.name, 'name'),
            backupId: checked(BackupId, params.backupId, 'backupId'),
          };
          const download = await openBackupDownload(deps, ref, c.req.raw.signal);
          deps.logger.info(
            { ...ref, size: download.size, by: caller.user.email },
            'backup download started',
          );
          return download;
        },
        respond: (download) =>
          new Response(download.body, {
            headers: {
              'content-type': 'application/zip',
              'content-length': String(download.size),
              'content-disposition': `attachment; filename="${download.fileName}"`,
              'cache-control': 'no-store',
            },
          }),
      });
    })
    .post('/api/servers/:serverId/instances/:name/restore', (c) => {
      const params = { serverId: c.req.param('serverId'), name: c.req.param('name') };
      const declared = Number(c.req.header('content-length') ?? Number.NaN);
      return runPanelApiCall(deps, c, {
        action: 'backups.restore',
        meta: OPERATE,
        input: {
          ...params,
          neutralize: c.req.query('neutralize') ?? null,
          // Not `resetAdminPassword`: the audit log redacts keys that look like passwords.
          resetAdmin: c.req.query('resetAdminPassword') ?? null,
          safetyBackup: c.req.query('safetyBackup') ?? null,
          copy: c.req.query('copy') ?? null,
          bytes: Number.isFinite(declared) ? declared : null,
        },
        run: async (caller) => {
          const name = checked(InstanceName, params.name, 'name');
          const query = restoreQueryOf(c);
          const contentType = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
          if (!UPLOAD_TYPES.includes(contentType)) {
            throw new ValidationError(
              'Send the backup as the raw body with Content-Type application/zip or application/octet-stream',
            );
          }
          const upload = limitedBody(c.req.raw, deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
          return restoreInstance(deps, { serverId: params.serverId, name }, upload, query, {
            userId: caller.user.id,
            email: caller.user.email,
          });
        },
        respond: (result) => Response.json(result, { status: 202 }),
      });
    });
}
