/**
 * Where collectors put things: path patterns of the bundles SREs are handed, mapped to the
 * artifact kind to try first and the subject the path names (namespace, pod, node). Content
 * still decides the kind (discover tries the hinted ingester's `sniff` first, then all). Files
 * that a layout says are not artifacts (container logs) are listed quietly, not sniffed.
 * Patterns match anywhere in the path, so the collector's top folder
 * (`support-bundle-2024-03-07T09_20_11/`, `must-gather.local.5/quay-io-…/`, `sosreport-node1-…/`)
 * and an enclosing archive name do not matter.
 * Sources: replicatedhq/troubleshoot `pkg/collect/cluster_resources.go` (`cluster-resources/pods/<ns>.json`
 * holds `json.MarshalIndent(pods.Items)`), openshift/must-gather `collection-scripts/gather`
 * (`oc adm inspect` layout), sosreport plugins `kernel` and `logs`.
 *
 * Sample (paths and the hints they give):
 * ```text
 * support-bundle-x/cluster-resources/pods/shop.json          → pod-json, namespace shop
 * must-gather.local.5/img/namespaces/shop/core/events.yaml   → pod-json, namespace shop
 * sosreport-node1-2024/sos_commands/kernel/dmesg             → kernel-log
 * support-bundle-x/cluster-resources/pods/logs/shop/api-1/api.log → container log (not an artifact)
 * ```
 */
import type { ArtifactKind } from "../model/artifact.js";

/** The collectors whose layouts are known. */
export type CollectorLayout = "troubleshoot" | "must-gather" | "sosreport";

/** What a path says about its file. */
export interface LayoutHint {
  layout: CollectorLayout;
  /** The kind to try first; `container-log` is never sniffed; null: known file, no reader for it. */
  kind: ArtifactKind | "container-log" | null;
  /** What the file is, in words (for the quiet listing). */
  what: string;
  namespace?: string;
  pod?: string;
  node?: string;
}

/** How many paths must follow a layout before the bundle is taken to be that collector's. */
const MIN_LAYOUT_PATHS = 3;

interface Pattern {
  layout: CollectorLayout;
  re: RegExp;
  kind: LayoutHint["kind"];
  what: string;
}

/** Windows separators (a bundle unpacked on Windows): `support-bundle\\cluster-resources\\…`. */
const BACKSLASH = /\\/g;

/** Ordered, most specific first. Named groups `ns`, `pod`, `node` become subject hints. */
const PATTERNS: readonly Pattern[] = [
  // troubleshoot: cluster-resources/pods/logs/<ns>/<pod>/<container>[-previous].log
  {
    layout: "troubleshoot",
    re: /(?:^|\/)cluster-resources\/pods\/logs\/(?<ns>[^/]+)\/(?<pod>[^/]+)\/[^/]+\.log$/,
    kind: "container-log",
    what: "container log",
  },
  // troubleshoot: cluster-resources/pods/<ns>.json — a JSON array of pods without `kind`
  {
    layout: "troubleshoot",
    re: /(?:^|\/)cluster-resources\/pods\/(?<ns>[^/]+)\.json$/,
    kind: "pod-json",
    what: "pods of a namespace",
  },
  // troubleshoot: cluster-resources/events/<ns>.json
  {
    layout: "troubleshoot",
    re: /(?:^|\/)cluster-resources\/events\/(?<ns>[^/]+)\.json$/,
    kind: "pod-json",
    what: "events of a namespace",
  },
  // troubleshoot: cluster-resources/nodes.json
  { layout: "troubleshoot", re: /(?:^|\/)cluster-resources\/nodes\.json$/, kind: "pod-json", what: "nodes" },
  // troubleshoot host collectors: host-collectors/run-host/<name>.txt, host-collectors/journald/<name>.txt
  {
    layout: "troubleshoot",
    re: /(?:^|\/)host-collectors\/(?:journald|run-host|kernel)\/(?=[^/]*(?:dmesg|kern|journal))[^/]+$/i,
    kind: "kernel-log",
    what: "host kernel log",
  },
  { layout: "troubleshoot", re: /(?:^|\/)host-collectors\/journald\/[^/]+$/, kind: "kernel-log", what: "host journal" },
  {
    layout: "troubleshoot",
    re: /(?:^|\/)host-collectors\/system\/memory\.json$/,
    kind: null,
    what: "host memory summary",
  },
  {
    layout: "troubleshoot",
    re: /(?:^|\/)(?:cluster-resources|host-collectors)\//,
    kind: null,
    what: "collector output",
  },
  // must-gather: namespaces/<ns>/pods/<pod>/<container>/<container>/logs/{current,previous}.log
  {
    layout: "must-gather",
    re: /(?:^|\/)namespaces\/(?<ns>[^/]+)\/pods\/(?<pod>[^/]+)\/[^/]+\/[^/]+\/logs\/[^/]+\.log$/,
    kind: "container-log",
    what: "container log",
  },
  // must-gather: namespaces/<ns>/pods/<pod>/<pod>.yaml
  {
    layout: "must-gather",
    re: /(?:^|\/)namespaces\/(?<ns>[^/]+)\/pods\/(?<pod>[^/]+)\/\k<pod>\.ya?ml$/,
    kind: "pod-json",
    what: "pod",
  },
  // must-gather: namespaces/<ns>/core/{pods,events}.yaml
  {
    layout: "must-gather",
    re: /(?:^|\/)namespaces\/(?<ns>[^/]+)\/core\/(?:pods|events)\.ya?ml$/,
    kind: "pod-json",
    what: "pods or events of a namespace",
  },
  // must-gather: cluster-scoped-resources/core/nodes/<node>.yaml
  {
    layout: "must-gather",
    re: /(?:^|\/)cluster-scoped-resources\/core\/nodes\/(?<node>[^/]+)\.ya?ml$/,
    kind: "pod-json",
    what: "node",
  },
  // must-gather: host_service_logs/masters/kubelet_service.log (journalctl -u kubelet)
  {
    layout: "must-gather",
    re: /(?:^|\/)host_service_logs\/[^/]+\/[^/]+\.log$/,
    kind: "kernel-log",
    what: "node service journal",
  },
  {
    layout: "must-gather",
    re: /(?:^|\/)(?:namespaces|cluster-scoped-resources)\/[^/]+\//,
    kind: null,
    what: "collector output",
  },
  // sosreport: sos_commands/kernel/dmesg, var/log/{messages,kern.log,syslog}*, journalctl_--no-pager*
  { layout: "sosreport", re: /(?:^|\/)sos_commands\/kernel\/dmesg[^/]*$/, kind: "kernel-log", what: "dmesg" },
  {
    layout: "sosreport",
    re: /(?:^|\/)sos_commands\/logs\/journalctl_--no-pager[^/]*$/,
    kind: "kernel-log",
    what: "journal",
  },
  {
    layout: "sosreport",
    re: /(?:^|\/)var\/log\/(?:messages|kern\.log|syslog)[^/]*$/,
    kind: "kernel-log",
    what: "system log",
  },
  {
    layout: "sosreport",
    re: /(?:^|\/)proc\/meminfo$/,
    kind: null,
    what: "node memory summary (no reader for /proc/meminfo yet)",
  },
  // sys/fs/cgroup/…/memory.stat: the file name first, then (looking back from the end, once) the folder, so a
  // path repeating `sys/fs/cgroup/` costs linear time
  {
    layout: "sosreport",
    re: /\/memory\.(?:stat|max|current|events|peak)$(?<=(?:^|\/)sys\/fs\/cgroup\/.*\/memory\.(?:stat|max|current|events|peak))/,
    kind: "memory-stat",
    what: "cgroup memory file",
  },
  {
    layout: "sosreport",
    re: /(?:^|\/)(?:sos_commands|sos_reports|sos_logs|sos_strings)\//,
    kind: null,
    what: "collector output",
  },
];

/** The hint for one path (relative to the bundle or inside an archive), or null outside any known layout. */
export function layoutHint(path: string): LayoutHint | null {
  const p = path.replace(BACKSLASH, "/");
  for (const { layout, re, kind, what } of PATTERNS) {
    const m = re.exec(p);
    if (!m) continue;
    const g = m.groups ?? {};
    return {
      layout,
      kind,
      what,
      ...(g.ns ? { namespace: g.ns } : {}),
      ...(g.pod ? { pod: g.pod } : {}),
      ...(g.node ? { node: g.node } : {}),
    };
  }
  return null;
}

/**
 * The layout a set of paths follows (the most frequent among hinted paths, with at least
 * `MIN_LAYOUT_PATHS` of them: one `var/log/messages` saved by hand is not a sosreport), or null.
 * Used to list unrecognised files of a known collector quietly: a sosreport holds thousands.
 */
export function detectLayout(paths: Iterable<string>): CollectorLayout | null {
  const counts = new Map<CollectorLayout, number>();
  for (const p of paths) {
    const h = layoutHint(p);
    if (h) counts.set(h.layout, (counts.get(h.layout) ?? 0) + 1);
  }
  let best: CollectorLayout | null = null;
  for (const [layout, n] of counts)
    if (n >= MIN_LAYOUT_PATHS && (best === null || n > counts.get(best)!)) best = layout;
  return best;
}
