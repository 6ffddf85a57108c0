/**
 * Benchmark input generators (written into a temp dir by `bench/run.mjs`, never committed).
 *
 * - `genKernelLog(path, bytes, ooms, shape)`: a node log in one of `SHAPES` (journalctl
 *   `-o short-iso`, BSD syslog `kern.log` with `[uptime]`, raw `dmesg`, `dmesg -T`): noise from
 *   many subsystems (near-misses such as `Killing container`, `pid=`, `pids controller` included)
 *   with `ooms` realistic cgroup v2 memcg OOM reports spread evenly: header, Call Trace, memcg
 *   counters, `Memory cgroup stats` v2 block, tasks table, `oom-kill:` summary, victim,
 *   `oom_reaper`. A 4 MiB noise block is built once and written repeatedly (disk speed).
 * - `genMetricsCsv(path, rows)`: Grafana long form `Series,Time,Value` export.
 * - `genPodBundle(dir, pods)`: `describe-pod-N.txt` + `pod-N.json` per pod (some OOMKilled).
 * - `genPodList(path, bytes, oomEvery)`: `kubectl get pods -A -o json` (a `List`, 4-space indent).
 * Deterministic (seeded PRNG) so runs compare.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

// Small deterministic PRNG (mulberry32).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOST = "ip-10-0-3-17";
const pad2 = (n) => String(n).padStart(2, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const hms = (d) => `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
const uptime = (ms) => `[${((ms - T0) / 1000 + 1234.5).toFixed(6).padStart(12)}]`;
const T0 = Date.UTC(2026, 10, 14, 0, 0, 0);

/**
 * Log shapes: each turns (epoch ms, tag such as `kernel` or `kubelet[1402]`) into a line prefix.
 * Raw dmesg has no tags: user-space lines are left out of it.
 */
export const SHAPES = {
  journal: (ms, tag) => `${new Date(ms).toISOString().slice(0, 19)}+00:00 ${HOST} ${tag}: `,
  syslog: (ms, tag) => {
    const d = new Date(ms);
    return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${hms(d)} ${HOST} ${tag}: ${tag === "kernel" ? uptime(ms) + " " : ""}`;
  },
  dmesg: (ms, tag) => (tag === "kernel" ? `${uptime(ms)} ` : null),
  "dmesg-T": (ms, tag) => {
    const d = new Date(ms);
    return tag === "kernel"
      ? `[${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${hms(d)} ${d.getUTCFullYear()}] `
      : null;
  },
};
const hex = (r, n) => {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(r() * 16)];
  return s;
};

// Noise: one message from a random subsystem (kernel and user space) as [tag, message].
function noise(r) {
  const k = Math.floor(r() * 16);
  const n = Math.floor(r() * 100000);
  switch (k) {
    case 0:
      return [
        "kernel",
        `audit: type=1400 audit(1794623467.${n % 1000}:${n}): apparmor="DENIED" operation="open" profile="cri-containerd.apparmor.d" name="/proc/${n}/status" pid=${n} comm="runc"`,
      ];
    case 1:
      return ["kernel", `IPv6: ADDRCONF(NETDEV_CHANGE): cali${hex(r, 11)}: link becomes ready`];
    case 2:
      return ["kernel", `cali${hex(r, 11)}: entered promiscuous mode`];
    case 3:
      return [
        "kernel",
        `EXT4-fs (nvme1n1): mounted filesystem ${hex(r, 8)}-${hex(r, 4)} r/w with ordered data mode. Quota mode: none.`,
      ];
    case 4:
      return [
        "kernel",
        `xfs filesystem being remounted at /var/lib/kubelet/pods/${hex(r, 8)}-${hex(r, 4)}/volume-subpaths supports timestamps until 2038 (0x7fffffff)`,
      ];
    case 5:
      return [
        "kubelet[1402]",
        `I1114 03:0${n % 10}:14.${n} 1402 kubelet_volumes.go:160] "Cleaned up orphaned pod volumes dir" podUID="${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}" path="/var/lib/kubelet/pods/${hex(r, 8)}/volumes"`,
      ];
    case 6:
      return [
        "kubelet[1402]",
        `E1114 03:0${n % 10}:14.${n} 1402 prober.go:104] "Probe errored" err="rpc error: code = NotFound desc = failed to exec in container" probeType="Readiness" pod="shop/worker-${n % 500}"`,
      ];
    case 7:
      return [
        "containerd[1033]",
        `time="2026-11-14T03:06:14Z" level=info msg="StartContainer for \\"${hex(r, 64)}\\" returns successfully"`,
      ];
    case 8:
      return [
        "containerd[1033]",
        `time="2026-11-14T03:06:14Z" level=info msg="shim disconnected" id=${hex(r, 64)} namespace=k8s.io`,
      ];
    case 9:
      return [
        "systemd[1]",
        `run-containerd-runc-k8s.io-${hex(r, 64)}-runc.${hex(r, 6)}.mount: Deactivated successfully.`,
      ];
    case 10:
      return ["systemd-networkd[830]", `cali${hex(r, 11)}: Gained IPv6LL`];
    case 11:
      return ["kernel", "nf_conntrack: nf_conntrack: table full, dropping packet"];
    case 12:
      return [
        "sshd[" + n + "]",
        `Accepted publickey for ec2-user from 10.0.${n % 255}.${n % 200} port ${40000 + (n % 20000)} ssh2: RSA SHA256:${hex(r, 43)}`,
      ];
    case 13:
      return [
        "kubelet[1402]",
        `I1114 03:0${n % 10}:14.${n} 1402 kuberuntime_container.go:770] "Killing container with a grace period" pod="shop/worker-${n % 500}" containerName="app" gracePeriod=30`,
      ];
    case 14:
      return [
        "kernel",
        `cgroup: fork rejected by pids controller in /kubepods.slice/kubepods-burstable-pod${hex(r, 8)}.slice`,
      ];
    default:
      return ["chronyd[898]", "Selected source 169.254.169.123"];
  }
}

const CALL_TRACE = [
  " <TASK>",
  " dump_stack_lvl+0x34/0x48",
  " dump_header+0x4c/0x22d",
  " oom_kill_process.cold+0xb/0x10",
  " out_of_memory+0x1ed/0x2e0",
  " mem_cgroup_out_of_memory+0x136/0x150",
  " try_charge_memcg+0x6ee/0x800",
  " charge_memcg+0x40/0xa0",
  " __mem_cgroup_charge+0x2c/0x80",
  " do_anonymous_page+0x11d/0x3e0",
  " __handle_mm_fault+0x6ab/0x7b0",
  " handle_mm_fault+0xd8/0x2a0",
  " do_user_addr_fault+0x1bb/0x6a0",
  " exc_page_fault+0x66/0x150",
  " asm_exc_page_fault+0x22/0x30",
  "RIP: 0033:0x7f3c2e1a9b3d",
  "Code: Unable to access opcode bytes at 0x7f3c2e1a9b13.",
  "RSP: 002b:00007fd1b4e416e8 EFLAGS: 00010206",
  " </TASK>",
];
const V2_STATS = [
  "anon",
  "file",
  "kernel",
  "kernel_stack",
  "pagetables",
  "sec_pagetables",
  "percpu",
  "sock",
  "vmalloc",
  "shmem",
  "zswap",
  "zswapped",
  "file_mapped",
  "file_dirty",
  "file_writeback",
  "swapcached",
  "anon_thp",
  "file_thp",
  "shmem_thp",
  "inactive_anon",
  "active_anon",
  "inactive_file",
  "active_file",
  "unevictable",
  "slab_reclaimable",
  "slab_unreclaimable",
  "slab",
  "workingset_refault_anon",
  "workingset_refault_file",
  "workingset_activate_anon",
  "workingset_activate_file",
  "workingset_restore_anon",
  "workingset_restore_file",
  "workingset_nodereclaim",
  "pgscan",
  "pgsteal",
  "pgscan_kswapd",
  "pgscan_direct",
  "pgsteal_kswapd",
  "pgsteal_direct",
  "pgfault",
  "pgmajfault",
  "pgrefill",
  "pgactivate",
  "pgdeactivate",
  "pglazyfree",
  "pglazyfreed",
  "thp_fault_alloc",
  "thp_collapse_alloc",
];

// One cgroup v2 memcg OOM report (kernel 6.1) as kernel messages.
function oomReport(r, i) {
  const podUid = `${hex(r, 8)}_${hex(r, 4)}_${hex(r, 4)}_${hex(r, 4)}_${hex(r, 12)}`;
  const cid = hex(r, 64);
  const memcg = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${podUid}.slice/cri-containerd-${cid}.scope`;
  const comm = `worker-${i % 7}`;
  const pid = 3000000 + i * 17;
  const limitKb = 524288;
  const out = [];
  out.push(`${comm} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=984`);
  out.push(`CPU: 1 PID: ${pid} Comm: ${comm} Not tainted 6.1.158-180.294.amzn2023.x86_64 #1`);
  out.push("Hardware name: Amazon EC2 m5.large/, BIOS 1.0 10/16/2017");
  out.push("Call Trace:");
  out.push(...CALL_TRACE);
  out.push(`memory: usage ${limitKb}kB, limit ${limitKb}kB, failcnt ${1000 + i}`);
  out.push("swap: usage 0kB, limit 0kB, failcnt 0");
  out.push(`Memory cgroup stats for ${memcg}:`);
  for (const k of V2_STATS) out.push(`${k} ${k === "anon" ? 533434368 : Math.floor(r() * 4e6)}`);
  out.push("Tasks state (memory values in pages):");
  out.push("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
  out.push(`[${String(pid - 5).padStart(7)}] 65535 ${pid - 5}      255       80    45056        0          -998 pause`);
  out.push(`[${String(pid - 2).padStart(7)}] 65532 ${pid - 2}      645      247    45056        0           984 sh`);
  out.push(`[${String(pid).padStart(7)}] 65532 ${pid}   468652   130731  1138688        0           984 ${comm}`);
  out.push(
    `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-${cid}.scope,mems_allowed=0,oom_memcg=${memcg},task_memcg=${memcg},task=${comm},pid=${pid},uid=65532`,
  );
  out.push(
    `Memory cgroup out of memory: Killed process ${pid} (${comm}) total-vm:1874608kB, anon-rss:520924kB, file-rss:1468kB, shmem-rss:0kB, UID:65532 pgtables:1112kB oom_score_adj:984`,
  );
  out.push(`oom_reaper: reaped process ${pid} (${comm}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`);
  return out;
}

/**
 * Writes a kernel log of about `bytes` bytes in `shape` (a key of `SHAPES`) with `ooms`
 * reports evenly spread. Returns the bytes written and the reports.
 */
export function genKernelLog(path, bytes, ooms, shape = "journal") {
  const prefix = SHAPES[shape];
  const r = rng(42);
  // One noise block (whole lines), written again and again between reports.
  const parts = [];
  let ms = T0;
  for (let size = 0; size < 4 << 20;) {
    ms += Math.floor(r() * 50);
    const [tag, msg] = noise(r);
    const p = prefix(ms, tag);
    if (p === null) continue;
    const line = `${p}${msg}\n`;
    parts.push(line);
    size += line.length;
  }
  const block = Buffer.from(parts.join(""), "latin1");
  const fd = openSync(path, "w");
  let written = 0;
  let off = 0;
  const every = Math.floor(bytes / (ooms + 1));
  const noiseUpTo = (target) => {
    while (written < target) {
      const want = target - written;
      const stop = off + want >= block.length ? block.length : block.indexOf(10, off + want) + 1;
      written += writeSync(fd, block, off, stop - off);
      off = stop === block.length ? 0 : stop;
    }
  };
  for (let i = 0; i < ooms; i++) {
    noiseUpTo(every * (i + 1));
    const at = T0 + i * 60_000;
    written += writeSync(
      fd,
      oomReport(r, i)
        .map((m) => `${prefix(at, "kernel")}${m}\n`)
        .join(""),
    );
  }
  noiseUpTo(bytes);
  closeSync(fd);
  return { bytes: written, ooms };
}

/** Writes a Grafana long-form CSV (`Series,Time,Value`) of `rows` rows. */
export function genMetricsCsv(path, rows) {
  const fd = openSync(path, "w");
  let written = writeSync(fd, '"Series","Time","Value"\n');
  const pods = 200;
  const perSeries = Math.ceil(rows / pods);
  const times = Array.from({ length: perSeries }, (_, i) =>
    new Date(T0 + i * 15000).toISOString().slice(0, 19).replace("T", " "),
  );
  let buf = [];
  let n = 0;
  for (let s = 0; s < pods && n < rows; s++) {
    const series = `"container_memory_working_set_bytes{container=""app"", namespace=""shop"", pod=""worker-${s}""}"`;
    for (let i = 0; i < perSeries && n < rows; i++, n++) {
      buf.push(`${series},${times[i]},${300000000 + ((i * 7919 + s * 104729) % 200000000)}`);
      if (buf.length >= 20000) {
        written += writeSync(fd, buf.join("\n") + "\n");
        buf = [];
      }
    }
  }
  if (buf.length) written += writeSync(fd, buf.join("\n") + "\n");
  closeSync(fd);
  return { bytes: written, rows: n };
}

/** Writes `pods` pods (describe + JSON) into `dir`, from the batch-load sample as a template. */
export function genPodBundle(dir, pods, describeTemplate, podJsonTemplate) {
  mkdirSync(dir, { recursive: true });
  const name = JSON.parse(podJsonTemplate).metadata.name;
  let bytes = 0;
  for (let i = 0; i < pods; i++) {
    const podName = `${name.slice(0, -5)}${String(i).padStart(5, "0")}`;
    const d = describeTemplate.split(name).join(podName);
    const j = podJsonTemplate.split(name).join(podName);
    writeFileSync(join(dir, `describe-pod-${i}.txt`), d);
    writeFileSync(join(dir, `pod-${i}.json`), j);
    bytes += Buffer.byteLength(d) + Buffer.byteLength(j);
  }
  return { bytes, files: pods * 2 };
}

/**
 * Writes `kubectl get pods -A -o json` of about `bytes` bytes: a `List` (kind after `items`, as
 * kubectl prints it, 4-space indentation) of full pod objects built from `podJsonTemplate`
 * (the batch-load sample, about 12 KB per item once indented), each with its own name,
 * namespace, uid, IPs and container ids. Pod i with i % oomEvery === 0 restarted after an
 * OOM kill (`lastState.terminated.reason: OOMKilled`, exit 137, 1–20 restarts); the others run
 * and never restarted (`lastState: {}`). Returns the bytes, the pods and the OOM-killed pods.
 */
export function genPodList(path, bytes, oomEvery, podJsonTemplate) {
  const r = rng(7);
  const base = JSON.parse(podJsonTemplate);
  const slot = (name) => `@@${name}@@`;
  const status = base.status.containerStatuses[0];
  base.metadata.name = slot("name");
  base.metadata.generateName = slot("generate");
  base.metadata.namespace = slot("ns");
  base.metadata.uid = slot("uid");
  base.metadata.labels["app.kubernetes.io/name"] = slot("app");
  base.metadata.labels["pod-template-hash"] = slot("hash");
  base.metadata.ownerReferences[0].name = slot("rs");
  base.status.podIP = base.status.podIPs[0].ip = slot("ip");
  status.containerID = slot("cid");
  status.restartCount = slot("restarts");
  status.lastState = slot("last");
  // Each item indented by 8 spaces inside `"items": [`, like kubectl's output.
  const template = JSON.stringify(base, null, 4)
    .split("\n")
    .map((l) => `        ${l}`)
    .join("\n");
  const parts = template.split(/"?@@(\w+)@@"?/);
  const oomLast = (cid) =>
    JSON.stringify(
      {
        terminated: {
          containerID: `containerd://${cid}`,
          exitCode: 137,
          finishedAt: "2026-10-02T14:26:39Z",
          reason: "OOMKilled",
          startedAt: "2026-09-28T08:14:41Z",
        },
      },
      null,
      4,
    )
      .split("\n")
      .map((l, i) => (i === 0 ? l : `                        ${l}`))
      .join("\n");
  const str = (v) => JSON.stringify(v);
  const fd = openSync(path, "w");
  let written = writeSync(fd, '{\n    "apiVersion": "v1",\n    "items": [\n');
  let pods = 0;
  let ooms = 0;
  let buf = [];
  while (written < bytes) {
    const i = pods++;
    const oom = i % oomEvery === 0;
    if (oom) ooms++;
    const app = `svc-${i % 997}`;
    const hash = hex(r, 9);
    const values = {
      name: str(`${app}-${hash}-${hex(r, 5)}`),
      generate: str(`${app}-${hash}-`),
      ns: str(`team-${i % 40}`),
      uid: str(`${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`),
      app: str(app),
      hash: str(hash),
      rs: str(`${app}-${hash}`),
      ip: str(`10.${20 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`),
      cid: str(`containerd://${hex(r, 64)}`),
      restarts: oom ? String(1 + Math.floor(r() * 20)) : "0",
      last: oom ? oomLast(hex(r, 64)) : "{}",
    };
    buf.push((i > 0 ? ",\n" : "") + parts.map((p, k) => (k % 2 === 1 ? values[p] : p)).join(""));
    if (buf.length >= 200) {
      written += writeSync(fd, buf.join(""));
      buf = [];
    }
  }
  written += writeSync(
    fd,
    buf.join("") + '\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n',
  );
  closeSync(fd);
  return { bytes: written, pods, ooms };
}
