/**
 * Collector layouts (troubleshoot support bundle, OpenShift must-gather, sosreport), each built
 * at test time as a folder and as an archive from the repo's samples: the pipeline must reach
 * the same incident as on the bare artifacts, container logs are listed but never sniffed, and
 * the collector's other output is listed quietly (no warnings).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { detectLayout, layoutHint } from "../../src/archive/layouts.js";
import type { Report } from "../../src/model/incident.js";
import { runPostmortem } from "../../src/pipeline.js";
import { expected, gzip, membersOf, sample, tarOf, tempDir, writeTree, xzOf, zipOf, type Member } from "./builders.js";
import { writeFileSync } from "node:fs";

const SCENARIO = "batch-load-512mi";
const pod = () =>
  JSON.parse(sample(SCENARIO, "pod.json").toString("utf8")) as {
    kind?: string;
    apiVersion?: string;
    metadata: { name: string; namespace: string };
  };
const POD = pod().metadata.name;
const NS = pod().metadata.namespace;

/** A client-go typed list item: no `kind`/`apiVersion` (troubleshoot marshals `pods.Items`). */
function kindless(): object {
  const { kind: _k, apiVersion: _a, ...rest } = pod();
  return rest;
}

const KUBELET_JOURNAL = `Oct 02 08:27:41 ip-10-20-41-116 kubenswrapper[2291]: I1002 08:27:41.104221    2291 kubelet.go:2453] "SyncLoop (PLEG): event for pod" pod="${NS}/${POD}" event={"Type":"ContainerDied"}
Oct 02 08:27:42 ip-10-20-41-116 kubenswrapper[2291]: I1002 08:27:42.011873    2291 kuberuntime_manager.go:1029] "Message for Container of pod" containerName="report-api" containerStatusID={"Type":"containerd"} pod="${NS}/${POD}" containerMessage="Container report-api was OOM-killed"
`;

const MEMINFO = `MemTotal:       16110348 kB
MemFree:          412764 kB
MemAvailable:    3381292 kB
Buffers:           94540 kB
Cached:          3102312 kB
`;

const SYSLOG = `Oct  2 08:00:01 ip-10-20-41-116 systemd[1]: Starting sysstat-collect.service - system activity accounting tool...
Oct  2 08:00:01 ip-10-20-41-116 systemd[1]: sysstat-collect.service: Deactivated successfully.
`;

/** A container log that mentions an OOM: it must not be read as a kernel log. */
const CONTAINER_LOG = `2026-10-02T08:27:39.912Z INFO  loading batch file (700 MB)\n2026-10-02T08:27:40.001Z WARN  Out of memory: Killed process 1 (java) is what you would see in dmesg\n`;

interface Layout {
  name: string;
  /** The collector's tree: path → content. */
  tree: () => Record<string, string | Buffer>;
  /** The same artifacts as a flat folder, for the baseline verdict. */
  flat: () => Record<string, string | Buffer>;
  links?: Member[];
  archive: (members: Member[]) => Promise<[string, Buffer]>;
  containerLog: string;
}

const TS = "support-bundle-2026-10-02T08_31_12";
const MG = "must-gather.local.4127066493841852031/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-9f3c0d1e";
const SOS = "sosreport-ip-10-20-41-116-2026-10-02-hxkqzvb";

const LAYOUTS: Layout[] = [
  {
    name: "troubleshoot support bundle",
    tree: () => ({
      [`${TS}/version.yaml`]:
        "apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\nmetadata:\n  name: supportbundle\nspec:\n  versionNumber: v0.107.1\n",
      [`${TS}/cluster-resources/pods/${NS}.json`]: JSON.stringify([kindless()], null, 2),
      [`${TS}/cluster-resources/pods/kube-system.json`]: "[]",
      [`${TS}/cluster-resources/events/${NS}.json`]: "[]",
      [`${TS}/cluster-resources/nodes.json`]: JSON.stringify(
        [
          {
            metadata: { name: "ip-10-20-41-116.eu-west-1.compute.internal" },
            status: { capacity: { memory: "16110348Ki" } },
          },
        ],
        null,
        2,
      ),
      [`${TS}/cluster-resources/pods/logs/${NS}/${POD}/report-api.log`]: CONTAINER_LOG,
      [`${TS}/cluster-resources/pods/logs/${NS}/${POD}/report-api-previous.log`]: CONTAINER_LOG,
      [`${TS}/host-collectors/run-host/dmesg.txt`]: sample(SCENARIO, "dmesg.txt"),
      [`${TS}/host-collectors/system/memory.json`]: '{"total":16496996352}\n',
    }),
    flat: () => ({ "pods.json": JSON.stringify([kindless()], null, 2), "dmesg.txt": sample(SCENARIO, "dmesg.txt") }),
    archive: async (m) => [`${TS}.tar.gz`, gzip(await tarOf(m))],
    containerLog: `${TS}/cluster-resources/pods/logs/${NS}/${POD}/report-api.log`,
  },
  {
    name: "OpenShift must-gather",
    tree: () => ({
      [`${MG}/timestamp`]: "2026-10-02 08:31:12.402 +0000 UTC m=+0.05\n",
      [`${MG}/namespaces/${NS}/pods/${POD}/${POD}.yaml`]: stringify(pod()),
      [`${MG}/namespaces/${NS}/core/events.yaml`]:
        'apiVersion: v1\nitems: []\nkind: EventList\nmetadata:\n  resourceVersion: "8812731"\n',
      [`${MG}/namespaces/${NS}/pods/${POD}/report-api/report-api/logs/current.log`]: CONTAINER_LOG,
      [`${MG}/namespaces/${NS}/pods/${POD}/report-api/report-api/logs/previous.log`]: CONTAINER_LOG,
      [`${MG}/cluster-scoped-resources/core/nodes/ip-10-20-41-116.eu-west-1.compute.internal.yaml`]:
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: ip-10-20-41-116.eu-west-1.compute.internal\nstatus:\n  capacity:\n    memory: 16110348Ki\n",
      [`${MG}/host_service_logs/masters/kubelet_service.log`]: KUBELET_JOURNAL,
      [`${MG}/host_service_logs/masters/crio_service.log`]: "",
    }),
    flat: () => ({ "pod.yaml": stringify(pod()) }),
    archive: async (m) => ["must-gather.zip", zipOf(m)],
    containerLog: `${MG}/namespaces/${NS}/pods/${POD}/report-api/report-api/logs/current.log`,
  },
  {
    name: "sosreport",
    tree: () => ({
      [`${SOS}/sos_commands/kernel/dmesg`]: sample(SCENARIO, "dmesg.txt"),
      [`${SOS}/sos_commands/kernel/uname_-a`]:
        "Linux ip-10-20-41-116 6.1.102-111.182.amzn2023.x86_64 #1 SMP x86_64 GNU/Linux\n",
      [`${SOS}/sos_commands/logs/journalctl_--no-pager_--catalog_--boot_-1`]: "-- No entries --\n",
      [`${SOS}/sos_commands/process/ps_auxwww`]:
        "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\nroot           1  0.0  0.1 171732 13204 ?        Ss   Sep28   0:41 /usr/lib/systemd/systemd\n",
      [`${SOS}/var/log/messages`]: SYSLOG,
      [`${SOS}/proc/meminfo`]: MEMINFO,
      [`${SOS}/etc/hostname`]: "ip-10-20-41-116\n",
      [`${SOS}/sos_reports/manifest.json`]: '{"version": "4.7.2", "cmdline": "sos report --batch"}\n',
      [`${SOS}/sos_logs/sos.log`]: "2026-10-02 08:31:12,402 INFO: [sos.report:setup] executing 'sos report --batch'\n",
    }),
    flat: () => ({ "dmesg.txt": sample(SCENARIO, "dmesg.txt") }),
    links: [{ name: `${SOS}/dmesg`, type: "symlink", target: "sos_commands/kernel/dmesg" }],
    archive: async (m) => [`${SOS}.tar.xz`, xzOf(await tarOf(m))],
    containerLog: "",
  },
];

const summary = (r: Report) => r.incidents.map((i) => ({ event: i.event, cause: i.verdict.cause }));
const notAnalysed = (r: Report) => r.warnings.filter((w) => w.message.startsWith("not analysed"));

describe("collector layouts", () => {
  it.each(LAYOUTS.map((l) => [l.name, l] as const))(
    "%s, as a folder and as an archive, reaches the bare artifacts' incident",
    async (_name, layout) => {
      const baseline = await runPostmortem({ bundlePath: writeTree(tempDir(), layout.flat()) });
      expect(baseline.incidents[0]?.event).toBe(expected(SCENARIO).event);

      const folder = await runPostmortem({ bundlePath: writeTree(tempDir(), layout.tree()) });
      const [archiveName, bytes] = await layout.archive([...membersOf(layout.tree()), ...(layout.links ?? [])]);
      const archivePath = join(tempDir(), archiveName);
      writeFileSync(archivePath, bytes);
      const archived = await runPostmortem({ bundlePath: archivePath });

      for (const report of [folder, archived]) {
        expect(summary(report)).toEqual(summary(baseline));
        expect(notAnalysed(report)).toEqual([]);
        for (const e of report.incidents[0]!.verdict.evidence) expect(e.file).toMatch(/\S/);
      }
      // Every file is listed, in both forms; archive entries cite archive!/path.
      expect(folder.bundle.files.length).toBe(Object.keys(layout.tree()).length);
      expect(archived.bundle.files.every((f) => f.path.startsWith(`${archiveName}!/`))).toBe(true);
      expect(archived.bundle.files.length).toBe(Object.keys(layout.tree()).length + (layout.links?.length ?? 0));
      if (layout.containerLog) {
        const log = archived.bundle.files.find((f) => f.path === `${archiveName}!/${layout.containerLog}`);
        expect(log).toMatchObject({ kind: "unknown", warnings: [] });
      }
    },
  );
});

describe("layoutHint", () => {
  it.each([
    [`${TS}/cluster-resources/pods/shop.json`, { layout: "troubleshoot", kind: "pod-json", namespace: "shop" }],
    [`${TS}/cluster-resources/events/shop.json`, { layout: "troubleshoot", kind: "pod-json", namespace: "shop" }],
    [`${TS}/cluster-resources/nodes.json`, { layout: "troubleshoot", kind: "pod-json" }],
    [
      `${TS}/cluster-resources/pods/logs/shop/api-7d9/api.log`,
      { layout: "troubleshoot", kind: "container-log", namespace: "shop", pod: "api-7d9" },
    ],
    [`${TS}/host-collectors/run-host/dmesg.txt`, { layout: "troubleshoot", kind: "kernel-log" }],
    [
      `${MG}/namespaces/shop/pods/api-7d9/api-7d9.yaml`,
      { layout: "must-gather", kind: "pod-json", namespace: "shop", pod: "api-7d9" },
    ],
    [`${MG}/namespaces/shop/core/events.yaml`, { layout: "must-gather", kind: "pod-json", namespace: "shop" }],
    [
      `${MG}/namespaces/shop/pods/api-7d9/api/api/logs/previous.log`,
      { layout: "must-gather", kind: "container-log", namespace: "shop", pod: "api-7d9" },
    ],
    [
      `${MG}/cluster-scoped-resources/core/nodes/node-1.yaml`,
      { layout: "must-gather", kind: "pod-json", node: "node-1" },
    ],
    [`${MG}/host_service_logs/masters/kubelet_service.log`, { layout: "must-gather", kind: "kernel-log" }],
    [`${SOS}/sos_commands/kernel/dmesg`, { layout: "sosreport", kind: "kernel-log" }],
    [`${SOS}/sos_commands/logs/journalctl_--no-pager_--catalog_--boot`, { layout: "sosreport", kind: "kernel-log" }],
    [`${SOS}/var/log/messages-20261002`, { layout: "sosreport", kind: "kernel-log" }],
    [`${SOS}/proc/meminfo`, { layout: "sosreport", kind: null }],
    [`bundle.tgz!/${SOS}/sos_commands/kernel/dmesg`, { layout: "sosreport", kind: "kernel-log" }],
    [
      "C:\\Users\\sre\\support-bundle\\cluster-resources\\pods\\shop.json",
      { layout: "troubleshoot", kind: "pod-json", namespace: "shop" },
    ],
  ])("%s", (path, want) => {
    expect(layoutHint(path)).toMatchObject(want);
  });

  it("paths outside any layout have no hint, and one stray path is not a layout", () => {
    expect(layoutHint("describe-pod.txt")).toBeNull();
    expect(layoutHint("my-notes/var-log-messages.txt")).toBeNull();
    expect(detectLayout(["incident/var/log/messages", "incident/describe.txt"])).toBeNull();
    expect(detectLayout(Object.keys(LAYOUTS[2]!.tree()))).toBe("sosreport");
  });
});
