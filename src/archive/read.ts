/**
 * One entry point for every archive format: decompress (gzip, xz) as needed, read the tar or zip
 * inside (or the single compressed file), check each entry's path, and hand files to discover.
 * Nothing is extracted to disk. Entries cite `archive!/path/in/archive`, e.g.
 * `support-bundle.tar.gz!/support-bundle-2024-03-07/cluster-resources/pods/shop.json`; a single
 * compressed file cites `dmesg.txt.gz!/dmesg.txt`. Never throws: a corrupt archive or a tripped
 * limit becomes a note naming the archive, and the entries read before it are kept.
 *
 * Sample (what a `.tar.gz` with a `../` entry produces):
 * ```text
 * file  bundle.tgz!/bundle/dmesg.txt
 * note  bundle.tgz!/../../etc/cron.d/x   refused: path climbs out of the archive with ../
 * ```
 */
import { Readable } from "node:stream";
import { checkEntryPath, linkStaysInside, MAGIC_BYTES, sniffArchive, type ArchiveFormat } from "./detect.js";
import { inflateCounted, openInput, peek, type ArchiveInput } from "./gzip.js";
import { ArchiveLimitError, type Budget } from "./limits.js";
import { readTar } from "./tar.js";
import type { EntryBody, RawEntry } from "./types.js";
import { unxz } from "./xz.js";
import { readZip } from "./zip.js";

/** A regular file inside an archive; `body` must be read to its end. */
export interface ArchiveFile {
  /** What evidence cites: `<archive display path>!/<normalised entry path>`. */
  path: string;
  /** The path inside the archive (`dir/file`), for layout hints. */
  entryPath: string;
  /** Declared size in bytes (tar header, zip directory), null when unknown (a `.gz`). */
  size: number | null;
  body: EntryBody;
}

/** Something the user should know about an archive or one of its entries. */
interface ArchiveNote {
  path: string;
  message: string;
  /** True for routine facts (a link inside the archive, not followed) that are listed, not warned. */
  quiet: boolean;
}

export interface ArchiveHandlers {
  file(f: ArchiveFile): Promise<void>;
  note(n: ArchiveNote): void;
}

/** A separator in a display path (`/`, or `\\` from Windows). */
const PATH_SEPARATOR = /[/\\]/;

/** The suffix a compressor adds: `dmesg.txt.gz`, `messages.xz`. */
const COMPRESSED_SUFFIX = /\.(?:gz|tgz|xz|txz)$/i;

/** Separator between an archive's path and an entry's path in cited paths. */
const ENTRY_SEPARATOR = "!/";

/** Reads the archive `input` of `format`, shown as `displayPath`. Never throws. */
export async function readArchive(
  input: ArchiveInput,
  format: ArchiveFormat,
  displayPath: string,
  budget: Budget,
  h: ArchiveHandlers,
): Promise<void> {
  let entries = 0;
  const visit = async (e: RawEntry) => {
    entries++;
    await visitEntry(e, displayPath, h);
  };
  try {
    if (format === "tar") return await readTar(openInput(input), visit);
    if (format === "zip") return await readZip(input, budget, visit);
    if (format === "bzip2" || format === "zstd") {
      h.note({
        path: displayPath,
        message: `${format} compression is not supported — expected gzip, xz, zip or tar — extract it (e.g. tar xf) and point at the folder`,
        quiet: false,
      });
      return;
    }
    let inner: Readable;
    if (format === "gzip") inner = inflateCounted(openInput(input), budget);
    else inner = unxz(input, budget);
    const { head, stream } = await peek(inner, MAGIC_BYTES);
    if (sniffArchive(head) === "tar") return await readTar(stream, visit);
    await visitEntry({ type: "file", name: innerName(displayPath), size: null, body: stream }, displayPath, h);
  } catch (err) {
    const why =
      err instanceof ArchiveLimitError
        ? err.message
        : `archive unreadable — expected a complete ${format} archive — received: ${(err as Error).message}`;
    h.note({
      path: displayPath,
      message: `${why}${entries > 0 ? ` (after ${entries} ${entries === 1 ? "entry" : "entries"}; those were kept)` : ""}`,
      quiet: false,
    });
  }
}

async function visitEntry(e: RawEntry, archive: string, h: ArchiveHandlers): Promise<void> {
  const checked = checkEntryPath(e.name);
  const shown = `${archive}${ENTRY_SEPARATOR}${checked.ok ? checked.path : e.name}`;
  if (!checked.ok) {
    h.note({ path: shown, message: `refused archive entry "${e.name}": ${checked.reason} (never read)`, quiet: false });
    if (e.type === "file") e.body.resume();
    return;
  }
  if (e.type === "directory") return;
  if (checked.path === "") {
    if (e.type === "file") e.body.resume();
    return;
  }
  if (e.type === "symlink" || e.type === "hardlink") {
    // A symlink's target is relative to its folder; a tar hardlink's to the archive root.
    const inside = e.type === "symlink" ? linkStaysInside(checked.path, e.target) : linkStaysInside("", e.target);
    if (inside)
      h.note({
        path: shown,
        message: `${e.type} to ${e.target}, not followed (the target is read on its own)`,
        quiet: true,
      });
    else
      h.note({
        path: shown,
        message: `refused archive entry "${e.name}": ${e.type} points outside the archive (${e.target})`,
        quiet: false,
      });
    return;
  }
  if (e.type === "other") {
    h.note({ path: shown, message: `${e.what} entry`, quiet: true });
    return;
  }
  if (e.type === "file") await h.file({ path: shown, entryPath: checked.path, size: e.size, body: e.body });
}

// `dmesg.txt.gz` holds `dmesg.txt`; a name without the suffix gets `.out`.
function innerName(displayPath: string): string {
  const base = displayPath.split(PATH_SEPARATOR).pop() ?? displayPath;
  const stripped = base.replace(COMPRESSED_SUFFIX, "");
  return stripped !== base && stripped !== "" ? stripped : `${base}.out`;
}
