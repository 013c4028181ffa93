import { OdooVersion, type Job } from '@ordo/protocol';
import { AgentError } from '../errors';
import { parseInput } from '../routes/validate';
import { requireSshKey } from '../ssh-key/read-ssh-key';
import { SSH_KEY_LOCK, type SshKeyDeps } from '../ssh-key/ssh-key-deps';
import { upgradeEnterprise, type UpgradeEnterpriseDeps } from './upgrade-enterprise';
import { versionDir } from './version-paths';
import { readVersionRecord } from './version-record';

export interface StartEnterpriseUpgradeDeps extends UpgradeEnterpriseDeps {
  sshKey: SshKeyDeps;
}

/**
 * `POST /v1/versions/:v/enterprise`: an installed Community version and a key are required
 * (404 / 409 otherwise); then the `version.enterprise_upgrade` job runs.
 */
export async function startEnterpriseUpgrade(
  deps: StartEnterpriseUpgradeDeps,
  versionParam: string,
  requestedBy: string | null,
): Promise<Job> {
  const version = parseInput(OdooVersion, versionParam, 'version');
  const { root, runner } = deps.instances;
  const installed = await readVersionRecord(versionDir(root, version));
  if (installed.kind !== 'installed') {
    throw new AgentError(
      'not_found',
      404,
      `Odoo ${version} is not installed on this server; install its Community edition first`,
    );
  }
  if (installed.record.edition === 'enterprise') {
    throw new AgentError('conflict', 409, `Odoo ${version} already has the Enterprise modules`);
  }
  await deps.sshKey.locks.run(SSH_KEY_LOCK, () => requireSshKey(root));

  return runner.enqueue({
    kind: 'version.enterprise_upgrade',
    target: version,
    requestedBy,
    conflictMessage: (running) =>
      `Odoo ${version} is already being upgraded to Enterprise (job ${running.id})`,
    handler: (context) => upgradeEnterprise(deps, version, context),
  });
}
