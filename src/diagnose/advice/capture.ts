/**
 * "What to capture next time": one ready script with this subject's namespace, pod, container
 * and node filled in, writing a new bundle folder, to keep for the next kill. It is the
 * README's "How to capture a bundle" specialised: Kubernetes (kubectl, the node's kernel log
 * through `kubectl debug node/…`), plain Docker, or a bare host.
 */
import { shellQuote } from "./shell.js";
import type { AdviceContext } from "./context.js";

/** The capture section: what the bundle lacked (in words) and the script. */
export interface Capture {
  missing: string[];
  script: string;
}

/** The folder the script writes: `oom-bundle-<UTC time>`. */
const FOLDER = 'B=oom-bundle-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$B"';

/** Builds the capture script of the subject; `missing` are the artifacts the verdict lacked. */
export function captureScript(ctx: AdviceContext, missing: string[]): Capture {
  const t = ctx.target;
  if (t.platform === "docker") return { missing, script: dockerScript(t.dockerContainer) };
  if (t.platform === "host" || (!t.pod && !t.node)) return { missing, script: hostScript() };
  const vars = [
    t.namespace && `NS=${shellQuote(t.namespace)}`,
    t.pod && `POD=${shellQuote(t.pod)}`,
    t.container && `CTR=${shellQuote(t.container)}`,
    t.node && `NODE=${shellQuote(t.node)}`,
  ]
    .filter(Boolean)
    .join(" ");
  const ns = t.namespace ? '-n "$NS" ' : "";
  const ctr = t.container ? ' -c "$CTR"' : "";
  const lines = [`# right after the next kill; writes a new bundle folder, then: oom-postmortem "$B"`, vars, FOLDER];
  if (t.pod) {
    lines.push(
      `kubectl ${ns}describe pod "$POD" > "$B/describe-pod.txt"`,
      `kubectl ${ns}get pod "$POD" -o json > "$B/pod.json"`,
      `kubectl ${ns}get events --field-selector involvedObject.name="$POD" -o json > "$B/events.json"`,
      `kubectl ${ns}exec "$POD"${ctr} -- sh -c 'cat /sys/fs/cgroup/memory.stat 2>/dev/null || cat /sys/fs/cgroup/memory/memory.stat' > "$B/memory.stat"`,
      `kubectl ${ns}logs "$POD"${ctr}${t.restarted ? " --previous" : ""} --timestamps > "$B/container.log"`,
    );
  }
  if (t.node) {
    lines.push(
      `kubectl describe node "$NODE" > "$B/describe-node.txt"`,
      `kubectl debug "node/$NODE" -q -i --profile=sysadmin --image=busybox -- chroot /host dmesg -T > "$B/dmesg.txt"  # then delete its node-debugger pod`,
    );
  }
  if (t.pod && t.namespace && t.container) {
    lines.push(
      `# also export container_memory_working_set_bytes{namespace="${t.namespace}",pod="${t.pod}",container="${t.container}"} for the last hours as CSV into "$B"`,
    );
  }
  return { missing, script: lines.join("\n") };
}

/**
 * Without the container's name or ID (the bundle names none), the script picks the exited
 * container Docker marked OOMKilled, and says so on stderr when there is none (an empty `$C`
 * would make `docker inspect ""` fail into an empty file the next run cannot read).
 */
function dockerScript(container: string | null): string {
  return [
    `# right after the next kill, on the Docker host; writes a new bundle folder, then: oom-postmortem "$B"`,
    ...(container !== null
      ? [`C=${shellQuote(container)}`]
      : [
          "# the bundle names no container: this takes the first exited container Docker marked OOMKilled",
          "C=$(docker ps -aq --filter status=exited | xargs -r docker inspect -f '{{if .State.OOMKilled}}{{.Name}}{{end}}' | grep -m1 . | tr -d /)",
          `[ -n "$C" ] || echo 'no exited container is marked OOMKilled: set C=<container name or ID>, then run the docker lines again' >&2`,
        ]),
    FOLDER,
    'docker inspect "$C" > "$B/docker-inspect.json"',
    'docker logs --timestamps "$C" > "$B/container.log" 2>&1',
    'sudo dmesg -T > "$B/dmesg.txt"',
    'journalctl -k -o short-iso --since -2h > "$B/journal-kernel.txt"',
  ].join("\n");
}

function hostScript(): string {
  return [
    `# right after the next kill, on the host; writes a new bundle folder, then: oom-postmortem "$B"`,
    FOLDER,
    'sudo dmesg -T > "$B/dmesg.txt"',
    'journalctl -k -o short-iso --since -2h > "$B/journal-kernel.txt"',
    'cat /proc/meminfo > "$B/meminfo.txt"',
    'ps aux --sort=-rss | head -30 > "$B/ps.txt"',
  ].join("\n");
}
