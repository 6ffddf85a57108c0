/**
 * Generators of hostile inputs, written at test time into a temporary folder (nothing big is
 * checked in). Each one reproduces a report of issue 10 at a size given by the caller, so the
 * in-suite cases stay small and `npm run test:hostile` runs the same shapes at full size.
 */
import { once } from "node:events";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { crc32, createGzip, deflateRawSync } from "node:zlib";

/** A describe of an OOM-killed pod: the valid file that must still be analysed beside hostile ones. */
export const GOOD_DESCRIBE = `Name:             api-7d9f8b6c5-x2x9q
Namespace:        shop
Node:             node-a/10.0.0.1
Status:           Running
IP:               10.1.0.7
Containers:
  api:
    Container ID:   containerd://4f1c2e9a7b3d
    Image:          registry.example.com/shop/api:1.42.0
    State:          Running
      Started:      Thu, 07 Mar 2024 09:14:03 +0000
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      Thu, 07 Mar 2024 08:02:11 +0000
      Finished:     Thu, 07 Mar 2024 09:14:02 +0000
    Ready:          True
    Restart Count:  3
    Limits:
      memory:  512Mi
    Requests:
      memory:  256Mi
QoS Class:                   Burstable
Events:                      <none>
`;

/**
 * GOOD_DESCRIBE with an Events table of `rows` rows: `distinct` different Normal events, then
 * the same BackOff Warning over and over (a describe no kubectl prints; a broken or forged one).
 */
export function* describeWithEvents(rows: number, distinct: number): Generator<string> {
  yield GOOD_DESCRIBE.replace("Events:                      <none>\n", "Events:");
  yield "  Type     Reason   Age   From     Message";
  yield "  ----     ------   ----  ----     -------";
  for (let i = 0; i < rows; i++) {
    yield i < distinct
      ? `  Normal   Pulled   5m    kubelet  Container image "registry.example.com/shop/api:1.42.${i}" already present on machine`
      : "  Warning  BackOff  1m    kubelet  Back-off restarting failed container api in pod api-7d9f8b6c5-x2x9q_shop(6be1679f-6ae2-4652-ab6f-a7cd62de963a)";
  }
}

/** Writes `files` (relative path → content) under `dir`, creating folders. Returns `dir`. */
export function writeBundle(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

/** Streams `lines()` to `path` (for files too big to build as one string). */
export async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let batch = "";
  for (const line of lines) {
    batch += `${line}\n`;
    if (batch.length >= 1 << 20) {
      if (!out.write(batch)) await once(out, "drain");
      batch = "";
    }
  }
  out.end(batch);
  await once(out, "finish");
}

/** `n` kernel lines each starting an OOM report that never names a victim. */
export function* oomTriggerLines(n: number): Generator<string> {
  for (let i = 0; i < n; i++) {
    yield `[${(1000 + i / 1000).toFixed(6)}] worker invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=985`;
  }
}

/** A syslog OOM report whose `[uptime]` is out of any clock's range. */
export function uptimeOutOfRangeLog(): string {
  const at = "2026-06-09T11:02:17.412000+00:00 node-b kernel: [9000000000000.0]";
  return [
    `${at} cart invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=994`,
    `${at} memory: usage 262144kB, limit 262144kB, failcnt 94`,
    `${at} Memory cgroup out of memory: Killed process 4127 (cart) total-vm:1843212kB, anon-rss:259880kB, file-rss:3412kB, shmem-rss:0kB, UID:1000 pgtables:1164kB oom_score_adj:994`,
    "",
  ].join("\n");
}

/** One core/v1 Event of an OOM-killing container, as `kubectl get events -o json` prints it. */
function event(i: number): object {
  return {
    apiVersion: "v1",
    kind: "Event",
    count: 1,
    firstTimestamp: "2024-03-07T09:14:02Z",
    lastTimestamp: "2024-03-07T09:14:02Z",
    involvedObject: {
      apiVersion: "v1",
      fieldPath: "spec.containers{api}",
      kind: "Pod",
      name: `api-${i % 1000}`,
      namespace: "shop",
      uid: `0b7f3c52-9a41-4c7e-8f0e-${i.toString(16).padStart(12, "0")}`,
    },
    message: `Back-off restarting failed container api in pod api-${i % 1000}_shop`,
    metadata: { name: `api-${i}.17b9c${i.toString(16)}`, namespace: "shop", uid: `e${i}` },
    reason: "BackOff",
    source: { component: "kubelet", host: "node-a" },
    type: "Warning",
  };
}

/** An EventList of `n` events, pretty-printed as kubectl does (4-space indent). */
export function* eventListChunks(n: number): Generator<string> {
  yield '{\n    "apiVersion": "v1",\n    "items": [\n';
  for (let i = 0; i < n; i++) yield `${i > 0 ? ",\n" : ""}${indent(JSON.stringify(event(i), null, 4), 8)}`;
  yield '\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n';
}

/** A realistic pod of `kubectl get pods -A -o json`; every 97th one was OOM-killed. */
function pod(i: number): object {
  const oom = i % 97 === 0;
  const app = `svc-${i % 400}`;
  const name = `${app}-7d9f8b6c5-${i.toString(36).padStart(5, "x")}`;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      creationTimestamp: "2024-03-07T07:58:40Z",
      generateName: `${app}-7d9f8b6c5-`,
      labels: { app, "pod-template-hash": "7d9f8b6c5" },
      name,
      namespace: `ns-${i % 50}`,
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          blockOwnerDeletion: true,
          controller: true,
          kind: "ReplicaSet",
          name: `${app}-7d9f8b6c5`,
          uid: "5e0c7a2d-3b4f-4a61-9d8e-7f1a2b3c4d5e",
        },
      ],
      resourceVersion: String(48213377 + i),
      uid: `0b7f3c52-9a41-4c7e-8f0e-${i.toString(16).padStart(12, "0")}`,
    },
    spec: {
      containers: [
        {
          args: ["--spring.profiles.active=prod"],
          command: ["java", "-jar", "/app/app.jar"],
          env: [
            { name: "JAVA_TOOL_OPTIONS", value: "-Xmx1536m -XX:+ExitOnOutOfMemoryError" },
            { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { key: "password", name: "db" } } },
          ],
          image: "registry.example.com/shop/api:1.42.0",
          imagePullPolicy: "IfNotPresent",
          livenessProbe: {
            failureThreshold: 3,
            httpGet: { path: "/actuator/health/liveness", port: 8080, scheme: "HTTP" },
            periodSeconds: 10,
          },
          name: "app",
          ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
          resources: { limits: { cpu: "1", memory: "2Gi" }, requests: { cpu: "500m", memory: "1Gi" } },
          volumeMounts: [
            {
              mountPath: "/var/run/secrets/kubernetes.io/serviceaccount",
              name: "kube-api-access-abcde",
              readOnly: true,
            },
          ],
        },
      ],
      dnsPolicy: "ClusterFirst",
      nodeName: `node-${i % 30}`,
      restartPolicy: "Always",
      serviceAccountName: "default",
      tolerations: [
        { effect: "NoExecute", key: "node.kubernetes.io/not-ready", operator: "Exists", tolerationSeconds: 300 },
      ],
      volumes: [
        {
          name: "kube-api-access-abcde",
          projected: {
            defaultMode: 420,
            sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: "token" } }],
          },
        },
      ],
    },
    status: {
      conditions: [{ lastProbeTime: null, lastTransitionTime: "2024-03-07T07:58:40Z", status: "True", type: "Ready" }],
      containerStatuses: [
        {
          containerID: `containerd://${i.toString(16).padStart(64, "a")}`,
          image: "registry.example.com/shop/api:1.42.0",
          imageID: `registry.example.com/shop/api@sha256:${"b".repeat(64)}`,
          lastState: oom
            ? {
                terminated: {
                  containerID: `containerd://${"c".repeat(64)}`,
                  exitCode: 137,
                  finishedAt: "2024-03-07T09:14:02Z",
                  reason: "OOMKilled",
                  startedAt: "2024-03-07T08:02:11Z",
                },
              }
            : {},
          name: "app",
          ready: true,
          restartCount: oom ? 3 : 0,
          started: true,
          state: { running: { startedAt: "2024-03-07T09:14:03Z" } },
        },
      ],
      hostIP: "10.0.0.1",
      phase: "Running",
      podIP: "10.1.0.1",
      qosClass: "Burstable",
      startTime: "2024-03-07T07:58:40Z",
    },
  };
}

/** `kubectl get pods -A -o json` of about `bytes` bytes (a `List` of `pod(i)`). */
export function* podListChunks(bytes: number): Generator<string> {
  yield '{\n    "apiVersion": "v1",\n    "items": [\n';
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const text = `${i > 0 ? ",\n" : ""}${indent(JSON.stringify(pod(i), null, 4), 8)}`;
    size += text.length;
    yield text;
  }
  yield '\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n';
}

/** Streams string chunks to a file. */
export async function writeChunks(path: string, chunks: Iterable<string>): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await pipeline(Readable.from(batched(chunks)), createWriteStream(path));
}

function* batched(chunks: Iterable<string>): Generator<string> {
  let batch = "";
  for (const c of chunks) {
    batch += c;
    if (batch.length >= 1 << 20) {
      yield batch;
      batch = "";
    }
  }
  if (batch) yield batch;
}

/**
 * A YAML "billion laughs": one anchor holding a list of `items` scalars, aliased `aliases`
 * times. Small on disk, `items × aliases` nodes if every alias is expanded.
 */
export function yamlAliasBomb(items: number, aliases: number): string {
  const list = Array.from({ length: items }, (_, i) => `  - x${i}`).join("\n");
  const refs = Array.from({ length: aliases }, (_, i) => `  k${i}: *a`).join("\n");
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: bomb\nbig: &a\n${list}\nspec:\n${refs}\nstatus:\n  containerStatuses: []\n`;
}

/** A `.tgz` of `n` tiny entries (`d/<i>.txt` holding one byte). */
export async function tinyEntriesTgz(path: string, n: number): Promise<void> {
  await pipeline(Readable.from(tarBlocks(n)), createGzip({ level: 1 }), createWriteStream(path));
}

// ustar headers written by hand (tar-stream's packer buffers without backpressure).
function* tarBlocks(n: number): Generator<Buffer> {
  const perBatch = 2048;
  for (let i = 0; i < n; i += perBatch) {
    const count = Math.min(perBatch, n - i);
    const out = Buffer.alloc(count * 1024);
    for (let k = 0; k < count; k++) {
      ustarHeader(`d/${i + k}.txt`, 1).copy(out, k * 1024);
      out[k * 1024 + 512] = 0x78; // "x"
    }
    yield out;
  }
  yield Buffer.alloc(1024); // two zero blocks end the archive
}

/** A ustar header block for a regular file `name` of `size` bytes. */
function ustarHeader(name: string, size: number, type = "0", linkname = ""): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, "utf8");
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  h.write("14000000000\0", 136);
  h.write("        ", 148);
  h.write(type, 156);
  h.write(linkname, 157, 100, "utf8");
  h.write("ustar\0", 257);
  h.write("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return h;
}

function indent(text: string, n: number): string {
  const pad = " ".repeat(n);
  return text
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}

/** `n` ordinary dmesg lines (no OOM), then one complete OOM report of pid 4127 (`cart`). */
export function* dmesgWithOneKill(n: number): Generator<string> {
  for (let i = 0; i < n; i++)
    yield `[${(100 + i / 1000).toFixed(6)}] eth0: renamed from veth${i.toString(16).padStart(8, "0")} link becomes ready`;
  const t = (100 + n / 1000).toFixed(6);
  yield `[${t}] cart invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=994`;
  yield `[${t}] memory: usage 262144kB, limit 262144kB, failcnt 94`;
  yield `[${t}] Memory cgroup out of memory: Killed process 4127 (cart) total-vm:1843212kB, anon-rss:259880kB, file-rss:3412kB, shmem-rss:0kB, UID:1000 pgtables:1164kB oom_score_adj:994`;
}

/**
 * A zip whose central directory lists `entries` names that all point at one deflated member of
 * `memberBytes` zeros (the "overlapping entries" bomb: small on disk, `entries × memberBytes`
 * if every entry is inflated). PKWARE APPNOTE 6.3: local header, data, central directory, EOCD.
 */
export function overlappingZip(entries: number, memberBytes: number): Buffer {
  const data = deflateRawSync(Buffer.alloc(memberBytes), { level: 9 });
  const crc = crc32(Buffer.alloc(memberBytes));
  const name = Buffer.from("dmesg.txt");
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(memberBytes, 22);
  local.writeUInt16LE(name.length, 26);
  const central: Buffer[] = [];
  for (let i = 0; i < entries; i++) {
    const n = Buffer.from(`logs/dmesg-${i}.txt`);
    const h = Buffer.alloc(46);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(20, 6);
    h.writeUInt16LE(8, 10);
    h.writeUInt32LE(crc, 16);
    h.writeUInt32LE(data.length, 20);
    h.writeUInt32LE(memberBytes, 24);
    h.writeUInt16LE(n.length, 28);
    h.writeUInt32LE(0, 42); // every entry at offset 0
    central.push(h, n);
  }
  const dir = Buffer.concat(central);
  const cdOffset = local.length + name.length + data.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries, 8);
  eocd.writeUInt16LE(entries, 10);
  eocd.writeUInt32LE(dir.length, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, dir, eocd]);
}

/** `n` small text files under `dir/files/` (none of them an artifact), and nothing else. */
export function manySmallFiles(dir: string, n: number): void {
  for (let i = 0; i < n; i += 1000) {
    const sub = join(dir, "files", String(i / 1000));
    mkdirSync(sub, { recursive: true });
    for (let k = i; k < Math.min(n, i + 1000); k++) writeFileSync(join(sub, `${k}.txt`), `note ${k}\n`);
  }
}
