/**
 * Archive builders for the discover tests: every fixture archive is made at test time in a temp
 * folder (tar via tar-stream, gzip via node:zlib, xz via @napi-rs/lzma, zip via the tiny writer
 * below), from the repo's samples/ read at test time. Nothing binary is committed.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateRawSync, gzipSync } from "node:zlib";
import { xz } from "@napi-rs/lzma";
import { pack } from "tar-stream";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const SAMPLES = join(REPO, "samples");

/** One archive member: a file (`data`), a directory, or a link. */
export type Member =
  | { name: string; data: string | Buffer; mode?: number }
  | { name: string; type: "directory" }
  | { name: string; type: "symlink" | "link"; target: string };

/** A sample file's bytes, read at test time. */
export function sample(scenario: string, file: string): Buffer {
  return readFileSync(join(SAMPLES, scenario, file));
}

/** The `Expected event:` / `Expected cause:` lines of a sample's README. */
export function expected(scenario: string): { event: string; cause: string } {
  const readme = readFileSync(join(SAMPLES, scenario, "README.md"), "utf8");
  return { event: /^Expected event: (\S+)/m.exec(readme)![1]!, cause: /^Expected cause: (\S+)/m.exec(readme)![1]! };
}

/** A fresh temp folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "oom-discover-"));
}

/** Writes `files` (path → content) under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string | Buffer>): string {
  for (const [rel, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
  }
  return root;
}

/** A tar archive (ustar/pax, as GNU tar writes) of `members`. */
export async function tarOf(members: Member[]): Promise<Buffer> {
  const p = pack();
  for (const m of members) {
    const header = { name: m.name, mtime: new Date("2026-10-02T08:30:00Z") };
    if ("data" in m) {
      const data = typeof m.data === "string" ? Buffer.from(m.data) : m.data;
      p.entry({ ...header, size: data.length, mode: m.mode ?? 0o644 }, data);
    } else if (m.type === "directory") p.entry({ ...header, type: "directory", mode: 0o755 });
    else p.entry({ ...header, type: m.type, linkname: m.target, size: 0 });
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export const gzip = (data: Buffer | string): Buffer => gzipSync(data);
export const xzOf = (data: Buffer): Buffer => xz.compressSync(data);

/** Files of a tree as tar members under `prefix/`. */
export function membersOf(files: Record<string, string | Buffer>, prefix = ""): Member[] {
  return Object.entries(files).map(([name, data]) => ({ name: prefix + name, data }));
}

/**
 * A zip (APPNOTE 6.3: local headers, central directory, end record) of `members`; deflated
 * unless `store`. Symlinks carry Unix mode 0120777 in the external attributes, made by Unix.
 */
export function zipOf(members: Member[], store = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const isDir = !("data" in m) && m.type === "directory";
    const name = Buffer.from(isDir && !m.name.endsWith("/") ? `${m.name}/` : m.name);
    const raw =
      "data" in m
        ? typeof m.data === "string"
          ? Buffer.from(m.data)
          : m.data
        : !isDir && "target" in m
          ? Buffer.from(m.target)
          : Buffer.alloc(0);
    const method = store || raw.length === 0 ? 0 : 8;
    const body = method === 8 ? deflateRawSync(raw) : raw;
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    const mode = isDir ? 0o040755 : "target" in m ? 0o120777 : 0o100644;
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
