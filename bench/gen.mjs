/**
 * Benchmark input generators (written into a temp dir by `bench/run.mjs`, never committed).
 *
 * - `genKernelLog(path, bytes, ooms)`: a journalctl `-o short-iso` style node log (kernel and
 *   user-space tags from many subsystems) with `ooms` realistic cgroup v2 memcg OOM reports
 *   spread evenly: header, Call Trace, memcg counters, `Memory cgroup stats` v2 block,
 *   tasks table, `oom-kill:` summary, victim, `oom_reaper`.
 * - `genMetricsCsv(path, rows)`: Grafana long form `Series,Time,Value` export.
 * - `genPodBundle(dir, pods)`: `describe-pod-N.txt` + `pod-N.json` per pod (some OOMKilled).
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
function isoStamp(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}+00:00`;
}
const hex = (r, n) => {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(r() * 16)];
  return s;
};

// Noise: one line from a random subsystem (kernel and user space), journalctl short-iso.
function noiseLine(r, stamp) {
  const k = Math.floor(r() * 14);
  const n = Math.floor(r() * 100000);
  switch (k) {
    case 0: return `${stamp} ${HOST} kernel: audit: type=1334 audit(1794623467.${n % 1000}:${n}): prog-id=${n % 400} op=LOAD`;
    case 1: return `${stamp} ${HOST} kernel: IPv6: ADDRCONF(NETDEV_CHANGE): cali${hex(r, 11)}: link becomes ready`;
    case 2: return `${stamp} ${HOST} kernel: cali${hex(r, 11)}: entered promiscuous mode`;
    case 3: return `${stamp} ${HOST} kernel: EXT4-fs (nvme1n1): mounted filesystem ${hex(r, 8)}-${hex(r, 4)} r/w with ordered data mode. Quota mode: none.`;
    case 4: return `${stamp} ${HOST} kernel: xfs filesystem being remounted at /var/lib/kubelet/pods/${hex(r, 8)}-${hex(r, 4)}/volume-subpaths supports timestamps until 2038 (0x7fffffff)`;
    case 5: return `${stamp} ${HOST} kubelet[1402]: I1114 03:0${n % 10}:14.${n} 1402 kubelet_volumes.go:160] "Cleaned up orphaned pod volumes dir" podUID="${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}" path="/var/lib/kubelet/pods/${hex(r, 8)}/volumes"`;
    case 6: return `${stamp} ${HOST} kubelet[1402]: E1114 03:0${n % 10}:14.${n} 1402 prober.go:104] "Probe errored" err="rpc error: code = NotFound desc = failed to exec in container" probeType="Readiness" pod="shop/worker-${n % 500}"`;
    case 7: return `${stamp} ${HOST} containerd[1033]: time="${stamp}" level=info msg="StartContainer for \\"${hex(r, 64)}\\" returns successfully"`;
    case 8: return `${stamp} ${HOST} containerd[1033]: time="${stamp}" level=info msg="shim disconnected" id=${hex(r, 64)} namespace=k8s.io`;
    case 9: return `${stamp} ${HOST} systemd[1]: run-containerd-runc-k8s.io-${hex(r, 64)}-runc.${hex(r, 6)}.mount: Deactivated successfully.`;
    case 10: return `${stamp} ${HOST} systemd-networkd[830]: cali${hex(r, 11)}: Gained IPv6LL`;
    case 11: return `${stamp} ${HOST} kernel: nf_conntrack: nf_conntrack: table full, dropping packet`;
    case 12: return `${stamp} ${HOST} sshd[${n}]: Accepted publickey for ec2-user from 10.0.${n % 255}.${n % 200} port ${40000 + (n % 20000)} ssh2: RSA SHA256:${hex(r, 43)}`;
    default: return `${stamp} ${HOST} chronyd[898]: Selected source 169.254.169.123`;
  }
}

const CALL_TRACE = [
  " <TASK>", " dump_stack_lvl+0x34/0x48", " dump_header+0x4c/0x22d", " oom_kill_process.cold+0xb/0x10",
  " out_of_memory+0x1ed/0x2e0", " mem_cgroup_out_of_memory+0x136/0x150", " try_charge_memcg+0x6ee/0x800",
  " charge_memcg+0x40/0xa0", " __mem_cgroup_charge+0x2c/0x80", " do_anonymous_page+0x11d/0x3e0",
  " __handle_mm_fault+0x6ab/0x7b0", " handle_mm_fault+0xd8/0x2a0", " do_user_addr_fault+0x1bb/0x6a0",
  " exc_page_fault+0x66/0x150", " asm_exc_page_fault+0x22/0x30", "RIP: 0033:0x7f3c2e1a9b3d",
  "Code: Unable to access opcode bytes at 0x7f3c2e1a9b13.", "RSP: 002b:00007fd1b4e416e8 EFLAGS: 00010206",
  " </TASK>",
];
const V2_STATS = [
  "anon", "file", "kernel", "kernel_stack", "pagetables", "sec_pagetables", "percpu", "sock", "vmalloc", "shmem",
  "zswap", "zswapped", "file_mapped", "file_dirty", "file_writeback", "swapcached", "anon_thp", "file_thp", "shmem_thp",
  "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable", "slab_reclaimable", "slab_unreclaimable",
  "slab", "workingset_refault_anon", "workingset_refault_file", "workingset_activate_anon", "workingset_activate_file",
  "workingset_restore_anon", "workingset_restore_file", "workingset_nodereclaim", "pgscan", "pgsteal", "pgscan_kswapd",
  "pgscan_direct", "pgsteal_kswapd", "pgsteal_direct", "pgfault", "pgmajfault", "pgrefill", "pgactivate", "pgdeactivate",
  "pglazyfree", "pglazyfreed", "thp_fault_alloc", "thp_collapse_alloc",
];

// One cgroup v2 memcg OOM report (kernel 6.1), journalctl short-iso, as lines.
function oomReport(r, stamp, i) {
  const podUid = `${hex(r, 8)}_${hex(r, 4)}_${hex(r, 4)}_${hex(r, 4)}_${hex(r, 12)}`;
  const cid = hex(r, 64);
  const memcg = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${podUid}.slice/cri-containerd-${cid}.scope`;
  const comm = `worker-${i % 7}`;
  const pid = 3000000 + i * 17;
  const limitKb = 524288;
  const p = `${stamp} ${HOST} kernel: `;
  const out = [];
  out.push(`${p}${comm} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=984`);
  out.push(`${p}CPU: 1 PID: ${pid} Comm: ${comm} Not tainted 6.1.158-180.294.amzn2023.x86_64 #1`);
  out.push(`${p}Hardware name: Amazon EC2 m5.large/, BIOS 1.0 10/16/2017`);
  out.push(`${p}Call Trace:`);
  for (const t of CALL_TRACE) out.push(p + t);
  out.push(`${p}memory: usage ${limitKb}kB, limit ${limitKb}kB, failcnt ${1000 + i}`);
  out.push(`${p}swap: usage 0kB, limit 0kB, failcnt 0`);
  out.push(`${p}Memory cgroup stats for ${memcg}:`);
  for (const k of V2_STATS) out.push(`${p}${k} ${k === "anon" ? 533434368 : Math.floor(r() * 4e6)}`);
  out.push(`${p}Tasks state (memory values in pages):`);
  out.push(`${p}[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name`);
  out.push(`${p}[${String(pid - 5).padStart(7)}] 65535 ${pid - 5}      255       80    45056        0          -998 pause`);
  out.push(`${p}[${String(pid - 2).padStart(7)}] 65532 ${pid - 2}      645      247    45056        0           984 sh`);
  out.push(`${p}[${String(pid).padStart(7)}] 65532 ${pid}   468652   130731  1138688        0           984 ${comm}`);
  out.push(`${p}oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-${cid}.scope,mems_allowed=0,oom_memcg=${memcg},task_memcg=${memcg},task=${comm},pid=${pid},uid=65532`);
  out.push(`${p}Memory cgroup out of memory: Killed process ${pid} (${comm}) total-vm:1874608kB, anon-rss:520924kB, file-rss:1468kB, shmem-rss:0kB, UID:65532 pgtables:1112kB oom_score_adj:984`);
  out.push(`${p}oom_reaper: reaped process ${pid} (${comm}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`);
  return out;
}

/** Writes a kernel log of about `bytes` bytes with `ooms` reports evenly spread. */
export function genKernelLog(path, bytes, ooms) {
  const r = rng(42);
  const fd = openSync(path, "w");
  let written = 0;
  let ms = Date.UTC(2026, 10, 14, 0, 0, 0);
  const every = Math.floor(bytes / (ooms + 1));
  let nextOom = every;
  let done = 0;
  let buf = [];
  let bufLen = 0;
  const flush = () => {
    const s = buf.join("\n") + "\n";
    written += writeSync(fd, s);
    buf = [];
    bufLen = 0;
  };
  while (written + bufLen < bytes) {
    ms += Math.floor(r() * 50);
    const stamp = isoStamp(ms);
    if (done < ooms && written + bufLen >= nextOom) {
      for (const l of oomReport(r, stamp, done)) {
        buf.push(l);
        bufLen += l.length + 1;
      }
      done++;
      nextOom += every;
    } else {
      const l = noiseLine(r, stamp);
      buf.push(l);
      bufLen += l.length + 1;
    }
    if (bufLen > 1 << 20) flush();
  }
  flush();
  closeSync(fd);
  return { bytes: written, ooms: done };
}

/** Writes a Grafana long-form CSV (`Series,Time,Value`) of `rows` rows. */
export function genMetricsCsv(path, rows) {
  const fd = openSync(path, "w");
  let written = writeSync(fd, '"Series","Time","Value"\n');
  const pods = 200;
  const perSeries = Math.ceil(rows / pods);
  const t0 = Date.UTC(2026, 10, 14, 0, 0, 0);
  let buf = [];
  let n = 0;
  for (let s = 0; s < pods && n < rows; s++) {
    const series = `"container_memory_working_set_bytes{container=""app"", namespace=""shop"", pod=""worker-${s}""}"`;
    for (let i = 0; i < perSeries && n < rows; i++, n++) {
      const d = new Date(t0 + i * 15000);
      const time = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
      buf.push(`${series},${time},${300000000 + ((i * 7919 + s * 104729) % 200000000)}`);
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
