/**
 * Limits for reading archives without extracting them: how many decompressed bytes a bundle may
 * produce, how far decompression may outgrow its input (a gzip/zip bomb), how large one entry
 * held in memory may be, and how deep archives may nest. A limit that trips never throws out of
 * discover: the archive's entries read so far are kept and the stop becomes a warning, e.g.
 * `decompression stopped at 16793600 bytes: ratio 1025:1 exceeds 1000:1 (a decompression bomb?)`.
 */

/** The limits discover applies to every archive of a bundle. Bytes are decompressed bytes. */
export interface ArchiveLimits {
  /** Cap on all decompressed bytes of the bundle, every archive and nested archive counted (default 2 GiB). */
  totalBytes: number;
  /** Files and archive entries listed per bundle (default 10,000); past it the rest is counted, not read. */
  files: number;
  /** Largest decompressed/compressed ratio tolerated (default 1000, i.e. 1000:1). */
  maxRatio: number;
  /** The ratio is only checked once this many bytes came out (default 1 MiB): tiny files compress oddly. */
  ratioGraceBytes: number;
  /** Largest entry held in memory for an ingester (default 64 MiB); larger ones are skipped with a warning. */
  entryBytes: number;
  /** Cap on entries held in memory at once across the bundle (default 128 MiB). */
  heldBytes: number;
  /** How many archives deep entries are opened (a `.gz` inside a `.tar.gz` is depth 2; default 3). */
  depth: number;
}

/** The defaults: see each field of `ArchiveLimits`. */
export const DEFAULT_LIMITS: ArchiveLimits = {
  totalBytes: 2 * 1024 ** 3,
  files: 10_000,
  maxRatio: 1000,
  ratioGraceBytes: 1024 ** 2,
  entryBytes: 64 * 1024 ** 2,
  heldBytes: 128 * 1024 ** 2,
  depth: 3,
};

/** A limit tripped while decompressing; `message` is the warning shown to the user. */
export class ArchiveLimitError extends Error {}

/**
 * Byte accounting for one archive: `consumed()` counts compressed bytes read, `produced()`
 * decompressed bytes (also on the bundle's shared count). `produced` throws `ArchiveLimitError`
 * when the bundle's cap or this archive's ratio is exceeded.
 */
export class Budget {
  inBytes = 0;
  outBytes = 0;
  /** `bundle`: the decompressed bytes of the whole bundle so far, shared by every archive in it. */
  constructor(
    readonly limits: ArchiveLimits,
    readonly bundle: { bytes: number },
  ) {}

  consumed(n: number): void {
    this.inBytes += n;
  }

  produced(n: number): void {
    this.outBytes += n;
    this.bundle.bytes += n;
    const { totalBytes, maxRatio, ratioGraceBytes } = this.limits;
    if (this.bundle.bytes > totalBytes) {
      throw new ArchiveLimitError(
        `decompression stopped at ${this.bundle.bytes} bytes: more than the ${totalBytes}-byte cap on decompressed data per bundle`,
      );
    }
    const ratio = this.outBytes / Math.max(1, this.inBytes);
    if (this.outBytes >= ratioGraceBytes && ratio > maxRatio) {
      throw new ArchiveLimitError(
        `decompression stopped at ${this.outBytes} bytes: ratio ${Math.round(ratio)}:1 exceeds ${maxRatio}:1 (a decompression bomb?)`,
      );
    }
  }
}
