/**
 * Limits for reading archives without extracting them: how many decompressed bytes a bundle may
 * produce, how far decompression may outgrow its input (a gzip/zip bomb), how large one entry
 * held in memory may be, and how deep archives may nest. A limit that trips never throws out of
 * discover: the archive's entries read so far are kept and the stop becomes a warning, e.g.
 * `decompression stopped at 16793600 bytes: ratio 1025:1 exceeds 1000:1 (a decompression bomb?)`.
 */

/** The limits discover applies to every archive of a bundle. Bytes are decompressed bytes. */
export interface ArchiveLimits {
  /** Cap on all decompressed bytes of one top-level archive (default 4 GiB). */
  totalBytes: number;
  /** Largest decompressed/compressed ratio tolerated (default 1000, i.e. 1000:1). */
  maxRatio: number;
  /** The ratio is only checked once this many bytes came out (default 1 MiB): tiny files compress oddly. */
  ratioGraceBytes: number;
  /** Largest entry held in memory for an ingester (default 64 MiB); larger ones are skipped with a warning. */
  entryBytes: number;
  /** Cap on entries held in memory at once across the bundle (default 512 MiB). */
  heldBytes: number;
  /** Largest `.xz` whose decompressed size (from its index) is decoded in memory (default 1 GiB). */
  xzBytes: number;
  /** How many archives deep entries are opened (a `.gz` inside a `.tar.gz` is depth 2; default 3). */
  depth: number;
}

/** The defaults: see each field of `ArchiveLimits`. */
export const DEFAULT_LIMITS: ArchiveLimits = {
  totalBytes: 4 * 1024 ** 3,
  maxRatio: 1000,
  ratioGraceBytes: 1024 ** 2,
  entryBytes: 64 * 1024 ** 2,
  heldBytes: 512 * 1024 ** 2,
  xzBytes: 1024 ** 3,
  depth: 3,
};

/** A limit tripped while decompressing; `message` is the warning shown to the user. */
export class ArchiveLimitError extends Error {}

/**
 * Byte accounting for one top-level archive: `consumed()` counts compressed bytes read,
 * `produced()` decompressed bytes. `produced` throws `ArchiveLimitError` when the total cap or
 * the ratio is exceeded.
 */
export class Budget {
  inBytes = 0;
  outBytes = 0;
  private nestedBytes = 0;
  /** `parent`: the enclosing archive's budget, which the total cap is counted on. */
  constructor(
    readonly limits: ArchiveLimits,
    readonly parent: Budget | null = null,
  ) {}

  consumed(n: number): void {
    this.inBytes += n;
  }

  produced(n: number): void {
    this.outBytes += n;
    const { totalBytes, maxRatio, ratioGraceBytes } = this.limits;
    if (this.parent) this.parent.countNested(n);
    else if (this.outBytes + this.nestedBytes > totalBytes) {
      throw new ArchiveLimitError(`decompression stopped at ${this.outBytes + this.nestedBytes} bytes: more than the ${totalBytes}-byte cap on decompressed data per archive`);
    }
    const ratio = this.outBytes / Math.max(1, this.inBytes);
    if (this.outBytes >= ratioGraceBytes && ratio > maxRatio) {
      throw new ArchiveLimitError(`decompression stopped at ${this.outBytes} bytes: ratio ${Math.round(ratio)}:1 exceeds ${maxRatio}:1 (a decompression bomb?)`);
    }
  }

  // Bytes a nested archive produced: only the total cap applies up here.
  private countNested(n: number): void {
    if (this.parent) return this.parent.countNested(n);
    this.nestedBytes += n;
    if (this.outBytes + this.nestedBytes > this.limits.totalBytes) {
      throw new ArchiveLimitError(`decompression stopped at ${this.outBytes + this.nestedBytes} bytes: more than the ${this.limits.totalBytes}-byte cap on decompressed data per archive`);
    }
  }
}
