import { Hono } from 'hono';
import { InstanceName } from '@ordo/protocol';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../config';
import type { ControlDeps } from '../deps';
import { ValidationError } from '../errors';
import { uploadAddons } from '../features/addons';
import { limitedBody } from './limited-body';
import { runPanelApiCall } from './panel-api-call';

/** Windows browsers call a .zip file `application/x-zip-compressed`. */
const UPLOAD_TYPES = [
  'application/zip',
  'application/x-zip-compressed',
  'application/octet-stream',
];

/**
 * `POST /api/servers/:serverId/instances/:name/addons`: the raw ZIP body, streamed on to the
 * agent, which answers `{ added, updated }`. Operating the instance is what it needs (staging:
 * Developer, production: Developer Plus); the server id is checked by `authorize`.
 */
export function addonsRoute(deps: ControlDeps): Hono {
  return new Hono().post('/api/servers/:serverId/instances/:name/addons', (c) => {
    const params = { serverId: c.req.param('serverId'), name: c.req.param('name') };
    const declared = Number(c.req.header('content-length') ?? Number.NaN);
    return runPanelApiCall(deps, c, {
      action: 'instances.uploadAddons',
      meta: { permission: 'instances.operate', target: 'instance' },
      input: { ...params, bytes: Number.isFinite(declared) ? declared : null },
      run: (caller) => {
        const name = InstanceName.safeParse(params.name);
        if (!name.success) {
          throw new ValidationError(`name: ${name.error.issues[0]?.message ?? 'invalid'}`);
        }
        const contentType = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
        if (!UPLOAD_TYPES.includes(contentType)) {
          throw new ValidationError(
            'Send the ZIP of modules as the raw body with Content-Type application/zip',
          );
        }
        const upload = limitedBody(c.req.raw, deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
        return uploadAddons(
          deps,
          { serverId: params.serverId, name: name.data },
          upload,
          caller.user,
        );
      },
    });
  });
}
