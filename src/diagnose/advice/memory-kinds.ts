/**
 * Advice for memory the process does not allocate itself: tmpfs/shmem (memory-backed emptyDir
 * volumes, `/dev/shm`) and kernel memory charged to the container (socket buffers, slab).
 * The memory-backed volumes and their mount paths come from the pod spec, so the commands name
 * the actual volume and path.
 */
import type { Action, MemoryAnatomy } from "../../model/incident.js";
import { roundLimit, toQuantity } from "../sizing.js";
import { formatBytes } from "../../util/format.js";
import { volumePatch } from "./change.js";
import { execPrefix, type AdviceContext } from "./context.js";
import { shellQuote } from "./shell.js";

const MI = 1024 ** 2;

/** A memory-backed volume the container mounts. */
interface TmpfsMount {
  volume: string;
  mountPath: string;
  sizeLimitBytes: number | null;
}

/** The container's memory-backed emptyDir mounts (tmpfs, charged to its memcg). */
function tmpfsMounts(ctx: AdviceContext): TmpfsMount[] {
  const vols = ctx.s.pod?.volumes.filter((v) => v.memoryBacked) ?? [];
  const mounts = ctx.s.container?.volumeMounts ?? [];
  return vols.flatMap((v) =>
    mounts
      .filter((m) => m.name === v.name)
      .map((m) => ({ volume: v.name, mountPath: m.mountPath, sizeLimitBytes: v.sizeLimitBytes })),
  );
}

/** Bytes of an anatomy part (`shmem / tmpfs`, `socket buffers`, `kernel …`), or null. */
function part(anatomy: MemoryAnatomy | null | undefined, re: RegExp): number | null {
  return anatomy?.rows.find((r) => re.test(r.part))?.bytes ?? null;
}

/** shared-memory: bound the tmpfs (sizeLimit on the named volume) and see what fills it. */
export function boundTmpfs(ctx: AdviceContext, anatomy: MemoryAnatomy | null | undefined): Action[] {
  const exec = execPrefix(ctx);
  const mounts = tmpfsMounts(ctx);
  const shmem = part(anatomy, /shmem|tmpfs/i);
  const usage = anatomy?.usageBytes ?? null;
  const limit = ctx.limitBytes;
  if (mounts.length === 0) {
    return [
      {
        title: "Find what fills /dev/shm",
        detail: `${shmem !== null ? `shmem is ${formatBytes(shmem)} at the kill and ` : ""}the pod spec shows no memory-backed emptyDir, so it is POSIX shared memory (\`/dev/shm\`) or a tmpfs the process mounts: list the largest files there and delete or bound them.`,
        command: exec ? `${exec}sh -c 'df -h /dev/shm; ls -laS /dev/shm | head -20'` : undefined,
      },
    ];
  }
  const m = mounts[0]!;
  const other = shmem !== null && usage !== null ? Math.max(0, usage - shmem) : null;
  // What the files may use so that they plus the rest of the container stay under the limit.
  const room = limit !== null && other !== null ? limit - other * 1.15 : null;
  const sizeLimit = room !== null && room >= 64 * MI ? Math.floor(room / (64 * MI)) * 64 * MI : null;
  const out: Action[] = [];
  if (exec)
    out.push({
      title: `See what fills ${m.mountPath}`,
      detail: `Volume ${m.volume} is a memory-backed emptyDir (tmpfs) mounted at ${m.mountPath}: every byte written there is charged to the container's memory limit${shmem !== null ? ` (shmem ${formatBytes(shmem)} at the kill)` : ""}.`,
      command: `${exec}sh -c ${shellQuote(`df -h ${shellQuote(m.mountPath)}; du -ah ${shellQuote(m.mountPath)} | sort -rh | head -20`)}`,
    });
  if (sizeLimit !== null) {
    const change = volumePatch(ctx.target, [
      { name: m.volume, emptyDir: { medium: "Memory", sizeLimit: toQuantity(sizeLimit) } },
    ]);
    out.push({
      title: `Give volume ${m.volume} (${m.mountPath}) a sizeLimit of ${toQuantity(sizeLimit)}`,
      detail: `The rest of the container used ${formatBytes(other)}; ${formatBytes(limit)} limit − ${formatBytes(other)} × 1.15 = ${formatBytes(room)} → ${toQuantity(sizeLimit)}, so a full tmpfs stops writes (ENOSPC) instead of the kernel killing the container. If the files need more, raise the limit to fit both, or drop \`medium: Memory\` to put them on disk. ${change.note}`,
      command: change.command,
    });
  } else {
    const need = other !== null && shmem !== null ? roundLimit((other + shmem) * 1.15) : null;
    out.push({
      title: `Move ${m.mountPath} to disk or raise the limit${need !== null ? ` to ${toQuantity(need)}` : ""}`,
      detail: `The files in volume ${m.volume} (${m.mountPath}) take so much of the limit that no sizeLimit fits: drop \`medium: Memory\` so they live on disk${need !== null ? `, or raise the limit to shmem + the rest + 15% = ${toQuantity(need)}` : ""}.`,
      command: volumePatch(ctx.target, [{ name: m.volume, emptyDir: {} }]).command,
    });
  }
  return out;
}

/** kernel-memory: which kernel allocations are charged to the container, and how to bound them. */
export function kernelMemory(ctx: AdviceContext, anatomy: MemoryAnatomy | null | undefined): Action[] {
  const exec = execPrefix(ctx);
  const sock = part(anatomy, /socket/i);
  const kernel = part(anatomy, /kernel/i);
  const v1kmem = ctx.kills.some((k) => k.limitHit === "kmem");
  const out: Action[] = [];
  if (sock !== null && kernel !== null ? sock >= kernel : sock !== null) {
    out.push({
      title: "Find the sockets holding buffer memory",
      detail: `Socket buffers were ${formatBytes(sock)} at the kill: look for large Recv-Q/Send-Q (a slow reader, a UDP flood, a peer that stopped reading) and bound the buffers (\`SO_RCVBUF\`, fewer connections, read faster).`,
      command: exec ? `${exec}sh -c 'cat /proc/net/sockstat; ss -tumn | sort -k3 -rn | head -20'` : undefined,
    });
  }
  out.push({
    title: v1kmem
      ? "The kmem limit (cgroup v1) was hit: find the slab caches"
      : "Find the kernel caches charged to the container",
    detail: `${kernel !== null ? `Kernel memory was ${formatBytes(kernel)} at the kill. ` : ""}Slab (dentries, inodes, buffers) grows with file and socket churn; \`slabtop\` on the node shows which cache.${v1kmem ? " The cgroup v1 kmem limit is deprecated and counted separately: cgroup v2 (or removing the kmem limit) charges it with the rest." : ""}`,
    command:
      ctx.target.node && ctx.target.platform === "kubernetes"
        ? `kubectl debug node/${ctx.target.node} -it --profile=sysadmin --image=busybox -- chroot /host slabtop -o -s c`
        : exec
          ? `${exec}cat /proc/meminfo`
          : undefined,
  });
  return out;
}
