/**
 * Next steps with this pod's own names and numbers: the `kubectl` command to change the limit
 * or flag, and the capture commands for the artifacts that would decide an open question.
 */
import type { Action, CauseId, Incident, Kill } from "../model/incident.js";
import type { SubjectFacts } from "../correlate/index.js";
import { runtimeFlags } from "./runtime-flags.js";
import { toQuantity } from "./sizing.js";
import { formatBytes } from "./words.js";

/** The workload to change, as kubectl names it: `deployment/report-api`, or a placeholder. */
export function workloadRef(s: SubjectFacts): string {
  const owner = s.pod?.owner;
  if (owner?.kind === "ReplicaSet") return `deployment/${owner.name.replace(/-[a-z0-9]{5,10}$/, "")}`;
  if (owner) return `${owner.kind.toLowerCase()}/${owner.name}`;
  return "<workload>";
}

/** Actions for the verdict cause, then captures for what is missing. */
export function actionsFor(cause: CauseId, s: SubjectFacts, kills: Kill[], sizing: Incident["sizing"], missing: string[]): Action[] {
  const ns = s.subject.namespace ? `-n ${s.subject.namespace} ` : "";
  const ctr = s.subject.container ?? "<container>";
  const pod = s.subject.pod ?? "<pod>";
  const wl = workloadRef(s);
  const limit = sizing?.currentLimitBytes ?? s.container?.limitBytes ?? kills.find((k) => k.limitBytes)?.limitBytes ?? null;
  const out: Action[] = [];
  const resize = (why: string): Action | null =>
    sizing ? { title: `Raise ${ctr}'s memory limit to ${toQuantity(sizing.recommendedLimitBytes)}`, detail: `${why} ${sizing.basis}.`, command: `kubectl ${ns}set resources ${wl} -c ${ctr} --limits=memory=${toQuantity(sizing.recommendedLimitBytes)}` } : null;
  switch (cause) {
    case "limit-too-low":
      pushIf(out, resize(`The working set does not fit ${limit !== null ? formatBytes(limit) : "the limit"}.`));
      break;
    case "burst-allocation":
      out.push({ title: "Find and bound the allocation that spiked", detail: `Look for the request, batch or job running in ${pod} at ${kills.at(-1)?.time ?? "the kill"}: bound its size (stream or chunk it) so one unit of work cannot take the whole limit.`, command: `kubectl ${ns}logs ${pod} -c ${ctr} --previous --timestamps` });
      pushIf(out, resize("If the spike is legitimate, give it headroom."));
      break;
    case "memory-leak":
      out.push({ title: "Profile the growth before the next kill", detail: `Take two heap or pmap snapshots some minutes apart in ${pod} and diff them; raising the limit only delays the kill.`, command: `kubectl ${ns}exec ${pod} -c ${ctr} -- sh -c 'pmap -x 1; sleep 600; pmap -x 1'` });
      break;
    case "runtime-misconfigured": {
      const flag = s.container ? runtimeFlags(s.container)[0] : undefined;
      const target = limit !== null ? Math.floor((limit * 0.75) / 1024 ** 2) : null;
      const fix = flag?.runtime === "node" ? `--max-old-space-size=${target ?? "<75% of the limit in MiB>"}` : flag?.runtime === "go" ? `GOMEMLIMIT=${target !== null ? `${Math.floor(target * 1.2)}MiB` : "<90% of the limit>"}` : `-XX:MaxRAMPercentage=75 (or -Xmx${target ?? "<75% of the limit>"}m)`;
      out.push({ title: `Size the runtime heap from the container limit: ${fix}`, detail: `${flag ? `Replace ${flag.flag}` : "Set the heap explicitly"} so heap plus non-heap memory stays under ${limit !== null ? formatBytes(limit) : "the limit"}.`, command: `kubectl ${ns}set env ${wl} -c ${ctr} ${flag?.runtime === "node" ? `NODE_OPTIONS=${fix}` : flag?.runtime === "go" ? fix : "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75"}` });
      break;
    }
    case "shared-memory":
      out.push({ title: "Bound the tmpfs usage", detail: `Give memory-backed emptyDir volumes a sizeLimit below the limit, or move the files to disk-backed storage; check what fills /dev/shm in ${pod}.`, command: `kubectl ${ns}exec ${pod} -c ${ctr} -- df -h /dev/shm` });
      break;
    case "kernel-memory":
      out.push({ title: "Find the kernel allocations charged to the container", detail: `Socket buffers or slab dominate: check connection counts and receive queues (slow consumers, UDP floods) in ${pod}.`, command: `kubectl ${ns}exec ${pod} -c ${ctr} -- sh -c 'cat /sys/fs/cgroup/memory.stat; ss -tunm | head -50'` });
      break;
    case "node-overcommit":
      out.push({ title: "Stop the node from overcommitting memory", detail: `Set memory requests equal to what pods really use (limits = requests for the big consumers) and check the node's allocatable and the largest pods${kills.at(-1)?.largestTask ? `; the biggest consumer was ${kills.at(-1)!.largestTask!.process} (${formatBytes(kills.at(-1)!.largestTask!.rssBytes)})` : ""}.`, command: `kubectl describe node ${s.subject.node ?? "<node>"} | sed -n '/Allocated resources/,/Events/p'` });
      break;
    case "not-oom":
      out.push({ title: "Fix the liveness probe or what makes it fail", detail: `Raise the probe's timeoutSeconds/failureThreshold or fix the slow endpoint; read why ${ctr} stopped answering.`, command: `kubectl ${ns}logs ${pod} -c ${ctr} --previous --timestamps` });
      break;
    case "undetermined":
      break;
  }
  for (const m of missing.slice(0, 3)) out.push(captureAction(m, s));
  return out;
}

function pushIf(list: Action[], a: Action | null): void {
  if (a) list.push(a);
}

/** The command that captures a missing artifact. */
function captureAction(missing: string, s: SubjectFacts): Action {
  const ns = s.subject.namespace ? `-n ${s.subject.namespace} ` : "";
  const node = s.subject.node ?? "<node>";
  const pod = s.subject.pod ?? "<pod>";
  const command = /kernel log|dmesg/.test(missing) ? `kubectl debug node/${node} -it --image=busybox -- dmesg -T > dmesg.txt`
    : /events/.test(missing) ? `kubectl ${ns}get events -o json > events.json`
    : /memory\.stat/.test(missing) ? `kubectl ${ns}exec ${pod} -- cat /sys/fs/cgroup/memory.stat > memory.stat`
    : /pod spec/.test(missing) ? `kubectl ${ns}get pod ${pod} -o json > pod.json`
    : undefined;
  return command ? { title: `Capture: ${missing}`, detail: "Add it to the bundle and run oom-postmortem again.", command } : { title: `Capture: ${missing}`, detail: "Add it to the bundle and run oom-postmortem again." };
}
