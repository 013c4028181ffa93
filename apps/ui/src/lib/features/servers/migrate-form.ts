import {
  MigrateInput,
  type InstanceView,
  type MigrationItem,
  type MigrationStep,
  type ServerView,
} from '@ordo/protocol/panel';
import type { Tone } from '../../components/tone';

/** Servers an instance can move to: active ones other than the source. */
export function migrationTargets(servers: readonly ServerView[], sourceId: string): ServerView[] {
  return servers.filter((server) => server.id !== sourceId && server.status === 'active');
}

/** The source's instances matching the search (name, version, type), by name. */
export function filterMigratable(
  instances: readonly InstanceView[],
  query: string,
): InstanceView[] {
  const needle = query.trim().toLowerCase();
  return instances
    .filter(
      (instance) =>
        needle === '' ||
        instance.name.includes(needle) ||
        instance.version.includes(needle) ||
        instance.type.includes(needle),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Why the selection cannot start as it is, per instance: a staging instance moves with its
 * production (or after it). Instances still being created cannot move at all.
 */
export function selectionProblems(
  instances: readonly InstanceView[],
  selected: ReadonlySet<string>,
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const instance of instances) {
    if (!selected.has(instance.name)) continue;
    if (instance.status === 'provisioning') {
      problems[instance.name] = 'Still being created';
    } else if (instance.parent !== null && !selected.has(instance.parent)) {
      problems[instance.name] =
        `Moves with its production "${instance.parent}": select it too, unless the target has it`;
    }
  }
  return problems;
}

/** Selecting a production selects its staging instances too (they would stay behind alone). */
export function toggleInstance(
  instances: readonly InstanceView[],
  selected: ReadonlySet<string>,
  name: string,
): Set<string> {
  const next = new Set(selected);
  if (next.has(name)) {
    next.delete(name);
    return next;
  }
  next.add(name);
  for (const instance of instances) if (instance.parent === name) next.add(instance.name);
  return next;
}

export type MigrateValidation =
  { ok: true; input: MigrateInput } | { ok: false; target?: string; instances?: string };

/** Checked with the procedure's own schema before asking the server. */
export function validateMigrate(values: {
  sourceServerId: string;
  targetServerId: string;
  instances: readonly string[];
}): MigrateValidation {
  if (values.targetServerId === '') return { ok: false, target: 'Choose the target server' };
  const input = { ...values, instances: [...values.instances] };
  const parsed = MigrateInput.safeParse(input);
  if (parsed.success) return { ok: true, input };
  const errors: { target?: string; instances?: string } = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] === 'instances' ? 'instances' : 'target';
    errors[field] ??= issue.message;
  }
  return { ok: false, ...errors };
}

const STEP_LABELS: Record<MigrationStep, string> = {
  waiting: 'Waiting',
  checking: 'Checking',
  backup: 'Backing up on the source',
  creating: 'Creating on the target',
  transferring: 'Transferring and restoring',
  configuring: 'Applying its settings',
  starting: 'Starting and checking health',
  stopping_source: 'Stopping the source',
  rolling_back: 'Rolling back',
  done: 'Moved',
};

/** What the dialog shows for one instance: a label, a tone, a whole percentage. */
export function describeItem(item: MigrationItem): { label: string; tone: Tone; percent: number } {
  const percent = Math.round(Math.min(1, Math.max(0, item.progress)) * 100);
  switch (item.state) {
    case 'pending':
      return { label: 'Waiting', tone: 'neutral', percent: 0 };
    case 'running':
      return { label: STEP_LABELS[item.step], tone: 'info', percent };
    case 'succeeded':
      return { label: 'Moved', tone: 'success', percent: 100 };
    case 'failed':
      return { label: 'Not moved: still on the source', tone: 'danger', percent };
  }
}
