import { CreateInstancePanelInput } from '@ordo/protocol/panel';
import type { Edition, InstalledVersion, InstanceType } from '@ordo/protocol';
import type { InstanceView } from '@ordo/protocol/panel';
import type { z } from 'zod';

export interface CreateFormValues {
  serverId: string;
  version: string;
  edition: Edition;
  name: string;
  adminLogin: string;
  type: InstanceType;
  parent: string;
}
export type CreateFormField = keyof CreateFormValues;
export type CreateFormErrors = Partial<Record<CreateFormField, string>>;

type Validated =
  | { ok: true; input: z.output<typeof CreateInstancePanelInput> }
  | { ok: false; errors: CreateFormErrors };

const FIELDS: readonly CreateFormField[] = [
  'serverId',
  'version',
  'edition',
  'name',
  'adminLogin',
  'type',
  'parent',
];

export function emptyCreateForm(serverId: string): CreateFormValues {
  return {
    serverId,
    version: '',
    edition: 'community',
    name: '',
    adminLogin: 'admin',
    type: 'production',
    parent: '',
  };
}

/** Enterprise needs the version's Enterprise modules on the server. */
export function enterpriseAvailable(
  versions: readonly Pick<InstalledVersion, 'version' | 'edition'>[],
  version: string,
): boolean {
  return versions.some((item) => item.version === version && item.edition === 'enterprise');
}

/** The production instances of a server, by name: the parents a staging instance may have. */
export function productionParents(
  instances: readonly Pick<InstanceView, 'serverId' | 'name' | 'type'>[],
  serverId: string,
): string[] {
  return instances
    .filter((instance) => instance.serverId === serverId && instance.type === 'production')
    .map((instance) => instance.name)
    .toSorted((a, b) => a.localeCompare(b));
}

/**
 * Checks the form with the protocol schema, plus what only the panel knows: the version must
 * be installed on the chosen server, and Enterprise must be available for it.
 */
export function validateCreateForm(
  values: CreateFormValues,
  installed: readonly Pick<InstalledVersion, 'version' | 'edition'>[],
): Validated {
  const errors: CreateFormErrors = {};
  if (values.serverId === '') errors.serverId = 'Choose a server';
  if (values.version === '') errors.version = 'Choose an installed version';
  else if (!installed.some((item) => item.version === values.version)) {
    errors.version = `Odoo ${values.version} is not installed on this server`;
  } else if (values.edition === 'enterprise' && !enterpriseAvailable(installed, values.version)) {
    errors.edition = `Enterprise is not installed for Odoo ${values.version} on this server`;
  }
  if (values.type === 'staging' && values.parent === '') {
    errors.parent = 'Choose the production instance this staging copies';
  }

  const parsed = CreateInstancePanelInput.safeParse({
    ...values,
    parent: values.type === 'staging' && values.parent !== '' ? values.parent : null,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = FIELDS.find((candidate) => candidate === issue.path[0]);
      if (field && errors[field] === undefined) errors[field] = issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, input: parsed.data };
}

/** Which field a refusal of `instances.create` belongs to, so it lands next to it. */
export function fieldForCreateError(code: string | null): CreateFormField | null {
  return code === 'CONFLICT' ? 'name' : null;
}
