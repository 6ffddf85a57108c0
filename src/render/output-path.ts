/**
 * Checks on `-o FILE` before anything is analysed, so a report can never replace evidence or
 * a system file. Refused (one line, exit 2): a path that resolves (through symlinks, `..`, or a
 * hard link to the same inode) to the input file, or into the bundle folder; an existing
 * directory, device node (`/dev/null`), FIFO or socket, or a symlink to one of those; a
 * folder that does not exist or cannot be written. A regular file outside the bundle is
 * replaced atomically by `writeAtomic` (the rename replaces a symlink itself, never its target).
 *
 * Sample: `oom-postmortem dmesg.txt -o dmesg.txt` →
 * `-o dmesg.txt is the input file dmesg.txt: refusing to overwrite evidence`.
 */
import { constants } from "node:fs";
import { access, realpath, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** Why `output` may not be written for a run over `bundlePath` (`-` for stdin), or null when it may. */
export async function outputProblem(output: string, bundlePath: string): Promise<string | null> {
  if (output === "" || output.endsWith("/") || output.endsWith(sep))
    return `-o ${output || '""'} names a folder: give a file name`;
  const dir = dirname(resolve(output));
  let realDir: string;
  try {
    realDir = await realpath(dir);
  } catch {
    return `-o ${output}: the folder ${dir} does not exist`;
  }
  if (!(await stat(realDir)).isDirectory()) return `-o ${output}: ${dir} is not a folder`;
  try {
    await access(realDir, constants.W_OK);
  } catch {
    return `-o ${output}: the folder ${dir} cannot be written (permission denied)`;
  }
  const target = join(realDir, basename(output));
  // What the path names now, symlinks followed (null when nothing is there yet).
  const real = await realpath(target).catch(() => null);
  const info = real === null ? null : await stat(real).catch(() => null);
  if (info) {
    const what = info.isDirectory()
      ? "a folder"
      : info.isFIFO()
        ? "a FIFO"
        : info.isSocket()
          ? "a socket"
          : info.isCharacterDevice() || info.isBlockDevice()
            ? "a device"
            : null;
    if (what)
      return `-o ${output} is ${what}${real !== target ? ` (through a symlink to ${real})` : ""}: give the path of a regular file`;
  }
  if (bundlePath === "-") return null;
  const bundle = await realpath(bundlePath).catch(() => null);
  if (bundle === null) return null; // discover reports an unreadable bundle
  const bundleInfo = await stat(bundle);
  for (const candidate of [target, real]) {
    if (candidate === null) continue;
    if (bundleInfo.isDirectory()) {
      const rel = relative(bundle, candidate);
      const outside = rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);
      if (!outside) {
        return `-o ${output} is inside the bundle folder ${bundlePath}: the bundle is read-only, write the report elsewhere`;
      }
    } else if (candidate === bundle) {
      return `-o ${output} is the input file ${bundlePath}: refusing to overwrite evidence`;
    }
  }
  if (info && !bundleInfo.isDirectory() && info.ino === bundleInfo.ino && info.dev === bundleInfo.dev) {
    return `-o ${output} is a hard link to the input file ${bundlePath}: refusing to overwrite evidence`;
  }
  return null;
}
