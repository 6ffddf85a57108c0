/**
 * Where some lines of an artifact's bytes start: noted by the reader that found them (the
 * kernel-log scan notes the first line of each run of lines it decodes) so that a later reader of
 * the same bytes (the quotes, `src/quotes.ts`) can start at a line instead of at the beginning of
 * a gigabyte file. Line numbers are 1-based and count `\n` as `ArtifactSource.lines()` does;
 * offsets are bytes into `ArtifactSource.bytes()`.
 *
 * The noting reader also notes the artifact's size as it read it (`noteBytes`): a later reader
 * that finds another size reads a file that changed since (rotated, truncated, rewritten).
 *
 * Sample: after `note(1, 0)` and `note(5_000, 612_345)`, `atOrBefore(5_003)` is
 * `{ line: 5_000, offset: 612_345 }` and `atOrBefore(4_999)` is `{ line: 1, offset: 0 }`.
 */
export class LineStarts {
  private readonly lines: number[] = [];
  private readonly offsets: number[] = [];
  private scannedBytes: number | undefined;

  /** Notes the artifact's size as this reader opened it (the first reader's counts). */
  noteBytes(size: number): void {
    this.scannedBytes ??= size;
  }

  /** The artifact's size in bytes as the first noting reader opened it; undefined until one has. */
  get bytes(): number | undefined {
    return this.scannedBytes;
  }

  /**
   * Notes that line `line` starts at byte `offset`. Lines are noted in ascending order; a line at
   * or before the last one noted is ignored (a second reading of the same file notes nothing new).
   */
  note(line: number, offset: number): void {
    const n = this.lines.length;
    if (n > 0 && line <= this.lines[n - 1]!) return;
    this.lines.push(line);
    this.offsets.push(offset);
  }

  /** The last noted line at or before `line`, with its byte offset; null when none is. */
  atOrBefore(line: number): { line: number; offset: number } | null {
    let lo = 0;
    let hi = this.lines.length; // the answer is the entry before the first noted line > `line`
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.lines[mid]! <= line) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? null : { line: this.lines[lo - 1]!, offset: this.offsets[lo - 1]! };
  }

  /** How many lines are noted. */
  get size(): number {
    return this.lines.length;
  }
}
