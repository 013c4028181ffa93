import { AddRepoPanelInput } from '@ordo/protocol/panel';
import { checkForm, type Checked } from '../../forms/field-errors';

export interface RepoFormValues {
  url: string;
  branch: string;
  token: string;
}

export function emptyRepoForm(): RepoFormValues {
  return { url: '', branch: 'main', token: '' };
}

const RepoFields = AddRepoPanelInput.pick({ url: true, branch: true, token: true });

/** The form as `repos.add` takes it (an empty token field means a public repository). */
export function checkRepoForm(
  values: RepoFormValues,
): Checked<{ url: string; branch: string; token?: string | undefined }> {
  return checkForm(RepoFields, {
    url: values.url,
    branch: values.branch.trim() === '' ? undefined : values.branch,
    token: values.token === '' ? undefined : values.token,
  });
}
