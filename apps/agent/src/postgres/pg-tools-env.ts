import type { Environment } from '../config';
import { childEnvironment } from '../system/child-environment';
import type { PgTarget } from './pg-target';

/** Environment for pg_dump, psql and pg_restore: where and as whom, like Odoo's exec_pg_environ. */
export function pgToolsEnv(env: Environment, target: PgTarget): Record<string, string> {
  return childEnvironment(env, {
    PGHOST: target.host,
    PGPORT: String(target.port),
    PGUSER: target.user,
    ...(target.password === null ? {} : { PGPASSWORD: target.password }),
  });
}
