/** Bounds on an uploaded archive, against zip bombs and archives of millions of tiny entries. */
export interface ZipLimits {
  maxEntries: number;
  maxUncompressedBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 1_000_000,
  maxUncompressedBytes: 200 * 1024 ** 3,
};

/** Why an archive is refused, in words the uploader can act on. */
export class UnsafeArchiveError extends Error {
  override readonly name = 'UnsafeArchiveError';
}
