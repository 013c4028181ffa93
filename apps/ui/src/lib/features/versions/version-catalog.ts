import type { InstalledVersion } from '@ordo/protocol';
import type { JobView, VersionListView } from '@ordo/protocol/panel';

/** A card of "Install a new version": a supported version not installed on the server. */
export interface InstallCard {
  version: string;
  /** The running install job, when this version is being installed now. */
  job: JobView | null;
  installing: boolean;
}

/** Supported versions that are not installed, newest first, marking those installing now. */
export function installCards(
  list: Pick<VersionListView, 'versions' | 'installing' | 'supported' | 'activeJobs'>,
): InstallCard[] {
  const installed = new Set(list.versions.map((version) => version.version));
  const installing = new Set(list.installing);
  return list.supported
    .filter((version) => !installed.has(version))
    .map((version) => {
      const job = list.activeJobs.find((candidate) => candidate.target === version) ?? null;
      return { version, job, installing: installing.has(version) || job !== null };
    })
    .toSorted((a, b) => compareVersions(b.version, a.version));
}

/** Installed versions, newest first, as the table and the create form list them. */
export function sortInstalled<T extends Pick<InstalledVersion, 'version'>>(
  versions: readonly T[],
): T[] {
  return versions.toSorted((a, b) => compareVersions(b.version, a.version));
}

/** Orders "9.0" before "17.0" (numeric, not alphabetical). */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor || a.localeCompare(b);
}
