/**
 * Streaming helpers for compressed inputs: gzip through `node:zlib` with every byte counted on a
 * `Budget` (so a bomb stops with a warning instead of exhausting memory), reading a file or a
 * buffer in small chunks (the ratio check's granularity), and peeking at a stream's first bytes.
 * Format: RFC 1952 (gzip); concatenated members (`cat a.gz b.gz`) are decoded as one stream.
 *
 * Sample input (a gzip member header, then deflate data):
 * ```text
 * 1f 8b 08 08 5e 1a 0b 66 00 03 64 6d 65 73 67 2e 74 78 74 00 …   (FNAME "dmesg.txt")
 * ```
 */
import { createReadStream } from "node:fs";
import { Readable, Transform, pipeline } from "node:stream";
import { createGunzip, createInflateRaw } from "node:zlib";
import type { Budget } from "./limits.js";

/** Compressed input is read in chunks of this size: the ratio is checked at least this often. */
const INPUT_CHUNK_BYTES = 16 * 1024;

/** A file on disk, or a buffer (an entry of an enclosing archive), as a stream of small chunks. */
export type ArchiveInput = { file: string } | { buffer: Buffer };

/** The raw bytes of `input`, in chunks of `INPUT_CHUNK_BYTES`. */
export function openInput(input: ArchiveInput, chunkBytes = INPUT_CHUNK_BYTES): Readable {
  if ("file" in input) return createReadStream(input.file, { highWaterMark: chunkBytes });
  const buf = input.buffer;
  return Readable.from(
    (function* () {
      for (let i = 0; i < buf.length; i += chunkBytes) yield buf.subarray(i, i + chunkBytes);
    })(),
  );
}

/** A transform that reports each chunk's size to `count` (which may throw to stop the stream). */
export function counter(count: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        count(chunk.length);
        done(null, chunk);
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/**
 * Inflates `raw` (gzip, or raw deflate for zip entries), counting decompressed bytes out on
 * `budget` and compressed bytes in as zlib takes them (`bytesWritten`, exact to one input chunk,
 * so the ratio of a deflate bomb, about 1030:1, shows as such). `base` is the compressed bytes
 * counted before this stream (earlier entries of a zip), `maxIn` a cap on the count (a zip's
 * file size: overlapping entries must not count the same compressed bytes twice). The returned stream errors with
 * `ArchiveLimitError` when a limit trips, or with zlib's error on corrupt or truncated data.
 */
export function inflateCounted(
  raw: Readable,
  budget: Budget,
  kind: "gzip" | "deflate-raw" = "gzip",
  base = 0,
  maxIn = Infinity,
): Readable {
  const zlib = kind === "gzip" ? createGunzip() : createInflateRaw();
  const out = counter((n) => {
    budget.inBytes = Math.max(budget.inBytes, Math.min(maxIn, base + zlib.bytesWritten));
    budget.produced(n);
  });
  pipeline(raw, rechunk(), zlib, out, (err) => {
    if (err && !out.destroyed) out.destroy(err);
  });
  return out;
}

/** Splits chunks larger than `INPUT_CHUNK_BYTES`, so zlib is fed (and the ratio checked) in small steps. */
function rechunk(): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      for (let i = 0; i < chunk.length; i += INPUT_CHUNK_BYTES) this.push(chunk.subarray(i, i + INPUT_CHUNK_BYTES));
      done();
    },
  });
}

/**
 * Reads the first `n` bytes of `stream` (fewer if it ends) and returns them with a stream that
 * replays them followed by the rest.
 */
export async function peek(stream: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const got: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    got.push(r.value);
    size += r.value.length;
  }
  const head = Buffer.concat(got);
  const replay = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      if (done) return;
      try {
        for (;;) {
          const r = await it.next();
          if (r.done) return;
          yield r.value;
        }
      } finally {
        // Stopped early (a limit, a corrupt tar): release the underlying stream too.
        await it.return?.();
      }
    })(),
  );
  return { head: head.subarray(0, n), stream: replay };
}
