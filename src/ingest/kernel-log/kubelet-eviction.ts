/**
 * The kubelet's eviction manager as its log lines say it (the node's journal is read by the
 * kernel-log ingester, so `journalctl` with kernel and kubelet lines, or `journalctl -u kubelet`,
 * is read once). Each pod the kubelet says it evicted becomes an `Evicted` event about that pod,
 * with the resource it was reclaiming: what `kubectl get events` would have shown, for bundles
 * that have only the node's logs. Format: kubernetes `pkg/kubelet/eviction/eviction_manager.go`
 * behind klog's header (`I0609 11:02:17.123456    1203 eviction_manager.go:366] `):
 * - 1.21+ (structured): `"Eviction manager: attempting to reclaim" resourceName="memory"`,
 *   `"Evicting pod" pod="ns/name" podUID="…" message="The node was low on resource: memory. …"`
 *   (at -v=3), `"Eviction manager: pod is evicted successfully" pod="ns/name"`;
 * - before (glog/klog printf): `eviction manager: attempting to reclaim memory`,
 *   `eviction manager: pod name_ns(uid) is evicted successfully` (`format.Pod`).
 * `must evict pod(s) to reclaim`, `pods ranked for eviction`, `pod failed to evict` and the rest
 * add nothing a report uses. The message is matched with its prefix (time, host, tag) removed.
 *
 * Sample input:
 * ```text
 * 2026-06-09T11:02:10.512734+00:00 node-1 kubelet[1203]: I0609 11:02:10.512690    1203 eviction_manager.go:366] "Eviction manager: attempting to reclaim" resourceName="memory"
 * 2026-06-09T11:02:10.548211+00:00 node-1 kubelet[1203]: I0609 11:02:10.548177    1203 eviction_manager.go:377] "Eviction manager: must evict pod(s) to reclaim" resourceName="memory"
 * 2026-06-09T11:02:10.548403+00:00 node-1 kubelet[1203]: I0609 11:02:10.548370    1203 eviction_manager.go:395] "Eviction manager: pods ranked for eviction" pods=["shop/export-5d8f7c9b6-kq2xz","shop/api-7c9d8f6b5-m4n8p"]
 * 2026-06-09T11:02:12.871530+00:00 node-1 kubelet[1203]: I0609 11:02:12.871498    1203 eviction_manager.go:616] "Eviction manager: pod is evicted successfully" pod="shop/export-5d8f7c9b6-kq2xz"
 * ```
 */
import type { EvictionFact, KubeEvent } from "../../model/facts.js";
import { evictionForResource, parseEvictionMessage } from "../shared/eviction-message.js";
import type { KernelLine } from "./prefix.js";

// klog's header before a message of eviction_manager.go: `I0609 11:02:10.512690    1203 eviction_manager.go:366] `.
const KLOG_EVICTION = /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+ +\d+ eviction_manager\.go:\d+\] /;

// The resource being reclaimed: structured `resourceName="memory"`, or printf `attempting to reclaim memory`.
const RECLAIM =
  /^(?:"Eviction manager: attempting to reclaim" resourceName="([^"]+)"|eviction manager: attempting to reclaim (\S+)$)/;

// -v=3: `"Evicting pod" pod="ns/name" podUID="…" message="…"` (the message as Go quotes it).
const EVICTING = /^"Evicting pod" pod="([^"/\s]+)\/([^"\s]+)"/;
const MESSAGE_VALUE = / message=("(?:[^"\\]|\\.)*")/;
const POD_UID = / podUID="([-0-9a-f]{36})"/;

// The pod evicted: structured `pod="ns/name"`; printf `pod name_ns(uid) is evicted successfully`.
const EVICTED =
  /^(?:"Eviction manager: pod is evicted successfully" pod="([^"/\s]+)\/([^"\s]+)"|eviction manager: pod ([^_\s]+)_([^_(\s]+)\(([-0-9a-f]+)\) is evicted successfully$)/;

/** Cheap pre-check before the regular expressions (runs on every kept line). */
const HINT = "eviction_manager.go:";

/** `Evicting pod` messages waiting for their pod's success line; more are dropped (a hostile log). */
const MAX_PENDING = 1000;

/** True for a message (prefix removed) of the kubelet's eviction manager: for sniffing and for routing lines. */
export function isEvictionManagerLine(message: string): boolean {
  return message.includes(HINT) && KLOG_EVICTION.test(message);
}

/**
 * Reads the eviction manager's lines of one file in order. Remembers the resource of the last
 * `attempting to reclaim` line and the message of each `Evicting pod` line, and returns an
 * `Evicted` event for each `pod is evicted successfully` line.
 */
export class KubeletEvictionReader {
  private reclaim: EvictionFact | null = null;
  private readonly pending = new Map<string, { eviction: EvictionFact | null; uid: string | null }>();

  constructor(private readonly file: string) {}

  /** One line whose message `isEvictionManagerLine`; an `Evicted` event or null. */
  read(l: KernelLine): KubeEvent | null {
    const body = l.message.replace(KLOG_EVICTION, "");
    const source = { file: this.file, line: l.line };
    const reclaim = RECLAIM.exec(body);
    if (reclaim) {
      this.reclaim = evictionForResource(reclaim[1] ?? reclaim[2]!, source, l.raw);
      return null;
    }
    const evicting = EVICTING.exec(body);
    if (evicting) {
      const fact = parseEvictionMessage(quoted(MESSAGE_VALUE.exec(body)?.[1]), source);
      const uid = POD_UID.exec(body)?.[1] ?? null;
      if (this.pending.size < MAX_PENDING)
        this.pending.set(`${evicting[1]}/${evicting[2]}`, { eviction: fact && { ...fact, text: l.raw }, uid });
      return null;
    }
    const evicted = EVICTED.exec(body);
    if (!evicted) return null;
    const namespace = evicted[1] ?? evicted[4]!;
    const name = evicted[2] ?? evicted[3]!;
    const key = `${namespace}/${name}`;
    const pending = this.pending.get(key);
    this.pending.delete(key);
    const ms = l.time.clock === "utc" ? l.time.wallMs : null;
    return {
      type: "Warning",
      reason: "Evicted",
      message: body,
      involved: { kind: "Pod", name, namespace, uid: evicted[5] ?? pending?.uid ?? null },
      count: 1,
      firstMs: ms,
      lastMs: ms,
      ageText: null,
      source,
      eviction: pending?.eviction ?? this.reclaim,
    };
  }
}

// A Go-quoted klog value (`"The node was low on resource: memory. "`) as text (between the quotes as
// printed when Go's escapes are not JSON's); null when absent.
function quoted(value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    const text: unknown = JSON.parse(value);
    return typeof text === "string" ? text : null;
  } catch {
    return value.slice(1, -1);
  }
}
