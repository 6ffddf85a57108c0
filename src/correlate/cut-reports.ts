/**
 * Reports cut off by the end of a capture: the kernel began an OOM report (`invoked oom-killer`,
 * a few header lines) and the saved log ends before any line naming a victim (`Killed process`,
 * `oom-kill:…,pid=`, `oom_reaper`). Nothing in the bundle says what, if anything, it killed, so
 * such a report is not an incident of its own: it becomes a note on the nearest kill (the kill
 * before it in the same file, else the nearest in time). Only when the bundle holds no other
 * kill does it stay an incident (the OOM killer ran; that alone is worth reporting).
 *
 * Sample input (the last lines of a capture, realworld 23):
 * ```text
 * [Thu Dec  7 00:13:22 2017] java invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=-998
 * [Thu Dec  7 00:13:22 2017] CPU: 9 PID: 14881 Comm: java Tainted: G    B   3.10.0-327.4.5.el7.x86_64 #1
 * ```
 */
import { killedTask } from "./attribute.js";
import { formatTime, formatUptime } from "../util/format.js";
import type { SubjectFacts, TimedKernelKill } from "./index.js";

/** True for a kernel kill whose report ended with the capture before naming any victim. */
function isCutAtCaptureEnd(k: TimedKernelKill): boolean {
  return k.oom.endedAtCaptureEnd === true && killedTask(k) === null;
}

/**
 * Folds subjects made only of cut-off reports (and no pod of their own) into notes on the
 * nearest other subject with a kill. Returns the subjects that remain, in the same order.
 */
export function foldCutReports(subjects: SubjectFacts[]): SubjectFacts[] {
  const cutOnly = (s: SubjectFacts) =>
    s.pod === null && s.kernelKills.length > 0 && s.kernelKills.every(isCutAtCaptureEnd);
  const hosts = subjects.filter((s) => !cutOnly(s) && (s.kernelKills.length > 0 || s.container !== null));
  if (hosts.length === 0) {
    for (const s of subjects.filter(cutOnly)) (s.notes ??= []).push(...s.kernelKills.map((k) => note(k, false)));
    return subjects;
  }
  const kept: SubjectFacts[] = [];
  for (const s of subjects) {
    if (!cutOnly(s)) {
      kept.push(s);
      continue;
    }
    for (const cut of s.kernelKills) {
      const host = nearest(cut, hosts);
      (host.notes ??= []).push(note(cut, true));
    }
  }
  return kept;
}

function nearest(cut: TimedKernelKill, hosts: SubjectFacts[]): SubjectFacts {
  const file = cut.oom.source.file;
  const sameFile = hosts
    .flatMap((s) =>
      s.kernelKills.filter((k) => k.oom.source.file === file).map((k) => ({ s, d: Math.abs(cut.order - k.order) })),
    )
    .sort((a, b) => a.d - b.d)[0];
  if (sameFile) return sameFile.s;
  if (cut.time.ms !== null) {
    const byTime = hosts
      .flatMap((s) => killTimes(s).map((ms) => ({ s, d: Math.abs(cut.time.ms! - ms) })))
      .sort((a, b) => a.d - b.d)[0];
    if (byTime) return byTime.s;
  }
  return hosts[0]!;
}

function killTimes(s: SubjectFacts): number[] {
  const kernel = s.kernelKills.map((k) => k.time.ms).filter((ms): ms is number => ms !== null);
  const c = s.container;
  const finished = [c?.state, c?.lastState]
    .map((st) => (st?.kind === "terminated" ? st.finishedAtMs : null))
    .filter((ms): ms is number => ms !== null);
  return [...kernel, ...finished];
}

function note(cut: TimedKernelKill, another: boolean): string {
  const { oom } = cut;
  const at = `${oom.source.file}:${oom.source.line ?? "?"}`;
  const when =
    cut.time.ms !== null
      ? formatTime(cut.time.ms)
      : oom.time.uptimeSec !== null
        ? formatUptime(oom.time.uptimeSec)
        : "an unknown time";
  const who = oom.trigger ? ` (invoked by ${oom.trigger.process})` : "";
  const counted = another
    ? "it is not counted as a kill"
    : "the bundle has no other kill, so it is reported, but what it killed (if anything) and whether a memcg limit or the node ran out are unknown";
  return `${at}: ${another ? "another" : "an"} OOM report begins at ${when}${who}, but the capture ends before it names a victim; ${counted}. Save the log past that point to see what it killed.`;
}
