/**
 * systemd-oomd and earlyoom kill lines in a journal/syslog, read by the kernel-log ingester
 * (`kernel-log/userspace-killer.ts`): each systemd-oomd and earlyoom format, the follow-up lines
 * folded into one kill, and lines that only look alike.
 */
import { describe, expect, it } from "vitest";
import { kernelLog } from "../../src/ingest/kernel-log.js";
import { sourceFromString } from "../../src/ingest/source.js";

const parse = (text: string) => kernelLog.parse(sourceFromString("journal.txt", text));

describe("userspace OOM killers in a journal", () => {
  it("reads systemd-oomd's pressure, swap (old and new wording) and `Marked … for killing` lines", async () => {
    const facts = await parse(
      [
        "Feb 02 10:00:01 n1 systemd-oomd[300]: Killed /user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox.scope due to memory pressure for /user.slice/user-1000.slice/user@1000.service being 62.10% > 50.00% for > 20s with reclaim activity",
        "Feb 02 10:05:09 n1 systemd-oomd[300]: Killed /system.slice/batch.service due to swap used (4101971968) / total (4294963200) being more than 90.00%",
        "Feb 02 10:09:44 n1 systemd-oomd[300]: Marked /kubepods.slice/kubepods-pod11112222_3333_4444_5555_666677778888.slice for killing due to memory pressure for /kubepods.slice being 70.00% > 60.00% for > 20s with reclaim activity",
      ].join("\n"),
    );
    expect(facts.userspaceKills.map((k) => [k.killer, k.cgroup, k.signal])).toEqual([
      ["systemd-oomd", "/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox.scope", "SIGKILL"],
      ["systemd-oomd", "/system.slice/batch.service", "SIGKILL"],
      ["systemd-oomd", "/kubepods.slice/kubepods-pod11112222_3333_4444_5555_666677778888.slice", "SIGKILL"],
    ]);
    expect(facts.userspaceKills[1]!.reason).toBe("swap used (4101971968) / total (4294963200) being more than 90.00%");
    expect(facts.userspaceKills[0]!).toMatchObject({
      host: "n1",
      source: { file: "journal.txt", line: 1 },
      time: { wallText: "Feb 02 10:00:01" },
    });
  });

  it("reads earlyoom's 1.6 (badness) and 1.8 (oom_score, cmdline) lines, names with quotes included", async () => {
    const facts = await parse(
      [
        '2026-03-01T12:00:00+00:00 box earlyoom[77]: sending SIGTERM to process 501 uid 1000 "node": badness 880, VmRSS 2048 MiB',
        '2026-03-01T12:07:00+00:00 box earlyoom[77]: sending SIGKILL to process 612 uid 0 "we"ird": oom_score 990, oom_score_adj 0, VmRSS 512 MiB, cmdline "/bin/we"ird"',
      ].join("\n"),
    );
    expect(facts.userspaceKills.map((k) => [k.killer, k.pid, k.process, k.signal, k.rssBytes])).toEqual([
      ["earlyoom", 501, "node", "SIGTERM", 2048 * 2 ** 20],
      ["earlyoom", 612, 'we"ird', "SIGKILL", 512 * 2 ** 20],
    ]);
    expect(facts.userspaceKills[0]!.time.wallMs).toBe(Date.parse("2026-03-01T12:00:00Z"));
  });

  it("folds systemd's unit line and earlyoom's escalation into the kill they follow", async () => {
    const facts = await parse(
      [
        "Apr 09 01:02:03 w2 systemd-oomd[9]: Killed /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podaaaabbbb_cccc_dddd_eeee_ffff00001111.slice/cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope due to memory pressure for /kubepods.slice being 80.00% > 60.00% for > 20s with reclaim activity",
        "Apr 09 01:02:03 w2 systemd[1]: cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope: systemd-oomd killed 2 process(es) in this unit.",
        'Apr 09 01:09:00 w2 earlyoom[8]: sending SIGTERM to process 9001 uid 0 "java": badness 900, VmRSS 9000 MiB',
        'Apr 09 01:09:01 w2 earlyoom[8]: sending SIGKILL to process 9001 uid 0 "java": badness 900, VmRSS 9001 MiB',
        "Apr 09 01:09:30 w2 systemd[1]: other.scope: systemd-oomd killed 1 process(es) in this unit.",
      ].join("\n"),
    );
    expect(facts.userspaceKills).toHaveLength(3);
    expect(facts.userspaceKills[0]!.more.map((m) => m.source.line)).toEqual([2]);
    expect(facts.userspaceKills[1]!).toMatchObject({
      pid: 9001,
      signal: "SIGKILL",
      more: [expect.objectContaining({ source: { file: "journal.txt", line: 4 } })],
    });
    expect(facts.userspaceKills[2]!).toMatchObject({
      cgroup: "other.scope",
      reason: null,
      text: expect.stringContaining("systemd-oomd killed 1 process(es) in this unit"),
    });
  });

  it("ignores look-alikes: kernel lines, other programs' `Killed` lines, earlyoom's status lines", async () => {
    const facts = await parse(
      [
        "Apr 09 01:00:00 w2 kernel: Killed /tmp/x due to nothing",
        "Apr 09 01:00:01 w2 bash[1]: Killed process group",
        "Apr 09 01:00:02 w2 earlyoom[8]: low memory! at or below SIGTERM limits: mem 10.00%, swap 10.00%",
        "Apr 09 01:00:03 w2 earlyoom[8]: process exited after 0.5 seconds",
      ].join("\n"),
    );
    expect(facts.userspaceKills).toEqual([]);
  });

  it("claims a journal holding only a userspace killer's lines", () => {
    const head =
      "Nov 28 09:30:41 w systemd-oomd[688]: Considered 14 cgroups for killing, top candidates were:\nNov 28 09:31:07 w systemd-oomd[688]: Killed /kubepods.slice/x.scope due to memory pressure for /kubepods.slice being 78.41% > 60.00% for > 20s with reclaim activity\n";
    expect(kernelLog.sniff(head, "journal.txt")).toBe(true);
    expect(kernelLog.sniff("Nov 28 09:30:41 w sshd[1]: Accepted publickey for core\n", "x.txt")).toBe(false);
  });
});
