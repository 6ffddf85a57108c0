#!/usr/bin/env node
/**
 * `npm run bench`: generates large inputs into a temp dir (deleted afterwards; the kernel logs are
 * all there at once, ~6.1 GiB with the defaults), runs the BUILT
 * CLI on each (`node dist/oom-postmortem.js <input> --format json -q`) and, in the same run and interleaved
 * with it, the floors it is judged against: `LC_ALL=C grep -c 'invoked oom-killer'`, `wc -l`, a
 * Node loop that only counts newlines (`bench/count-newlines.mjs`) and `node -e 0` (start-up).
 * Every figure is the median of `--repeat` runs (the kernel-log cases in rounds over all of them),
 * reported as a ratio to its floor (wall time, and CPU time = user + system, which other work on
 * a shared machine disturbs less). Peak RSS from `/usr/bin/time`. Prints the tables and rewrites `bench/RESULTS.md`. Not part of `npm test`.
 *
 * Options: --size 1024 (MiB of each kernel log), --small 100 (MiB, the RSS-flatness twin),
 * --shapes journal,syslog,dmesg,dmesg-T, --reports 10,100,10000 (journal), --repeat 5,
 * --csv-rows 10000000 (0 skips), --pods 500,2000 (empty skips), --podlist 100,500 (MiB of
 * `kubectl get pods -A -o json`, one pod in 33 OOM-killed; empty skips), --only podlist (run only
 * the named cases of startup,kernel,csv,pods,podlist; RESULTS.md then keeps its other figures and
 * gets a section of this run's, replacing the section an earlier run of the same cases wrote),
 * --keep (leave the temp dir), --no-write (do not rewrite RESULTS.md).
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { genKernelLog, genMetricsCsv, genPodBundle, genPodList, SHAPES } from "./gen.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "dist", "oom-postmortem.js");
const COUNT_NEWLINES = join(ROOT, "bench", "count-newlines.mjs");
const MiB = 1024 * 1024;

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const list = (text) => (text ? text.split(",").filter(Boolean) : []);
const size = Number(opt("size", "1024"));
const small = Number(opt("small", "100"));
const shapes = list(opt("shapes", Object.keys(SHAPES).join(",")));
const reportCounts = list(opt("reports", "10,100,10000")).map(Number);
const repeat = Number(opt("repeat", "5"));
const csvRows = Number(opt("csv-rows", "10000000"));
const podCounts = list(opt("pods", "500,2000")).map(Number);
const podListSizes = list(opt("podlist", "100,500")).map(Number);
const only = list(opt("only", ""));
const runs = (name) => only.length === 0 || only.includes(name);
const keep = args.includes("--keep");

if (!existsSync(CLI)) {
  console.error("bench: dist/oom-postmortem.js missing — run `npm run build` first");
  process.exit(2);
}
if (!existsSync("/usr/bin/time")) {
  console.error("bench: /usr/bin/time is needed for peak RSS (Debian package `time`)");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "oom-bench-"));
const say = (m) => process.stderr.write(`bench: ${m}\n`);

/** One run: { wall, cpu (s), rssKiB, status, out }. stdout goes to a file. */
async function once(cmd, argv, env = process.env) {
  const outFile = join(dir, "out");
  const timeFile = join(dir, "time");
  const out = openSync(outFile, "w");
  const child = spawn("/usr/bin/time", ["-o", timeFile, "-f", "%e %U %S %M", cmd, ...argv], {
    stdio: ["ignore", out, "ignore"],
    env,
  });
  const status = await new Promise((res) => child.on("close", res));
  closeSync(out);
  const [wall, user, sys, rss] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1).split(" ").map(Number);
  return { wall, cpu: user + sys, rssKiB: rss, status, out: readFileSync(outFile, "utf8") };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs each contender `repeat` times, interleaved, calling `before` (untimed) before each run;
 * returns per name the medians and the last output.
 */
async function race(contenders, before = () => {}) {
  return (await raceRounds([{ contenders, before }]))[0];
}

/**
 * `race` for several cases at once: `repeat` rounds, each running every contender of every case
 * once, in order. A slow minute of the machine then costs each case a run or two, which their
 * medians absorb, instead of all the runs of the case it falls on.
 */
async function raceRounds(cases) {
  const runs = cases.map(({ contenders }) => Object.fromEntries(Object.keys(contenders).map((k) => [k, []])));
  for (let i = 0; i < repeat; i++) {
    for (const [c, { contenders, before = () => {} }] of cases.entries()) {
      for (const [name, [cmd, argv, env]] of Object.entries(contenders)) {
        before();
        runs[c][name].push(await once(cmd, argv, env));
      }
    }
  }
  return runs.map((byName) =>
    Object.fromEntries(
      Object.entries(byName).map(([name, rs]) => [
        name,
        {
          wall: median(rs.map((r) => r.wall)),
          cpu: median(rs.map((r) => r.cpu)),
          rssKiB: Math.max(...rs.map((r) => r.rssKiB)),
          status: rs.at(-1).status,
          out: rs.at(-1).out,
        },
      ]),
    ),
  );
}

const cli = (input) => ["node", [CLI, input, "--format", "json", "-q"]];
const grep = (file) => ["grep", ["-c", "invoked oom-killer", file], { ...process.env, LC_ALL: "C" }];
const wc = (file) => ["wc", ["-l", file]];
const nodeLoop = (file) => ["node", [COUNT_NEWLINES, file]];
/**
 * Before a generated file is timed: written to disk (`sync`), so the kernel does not write back
 * the gigabyte just generated while the contenders run (it did, on one core, in some runs and
 * not others).
 */
const settle = () => spawnSync("sync", [], { stdio: "ignore" });
/**
 * Before each run: the file read once, so every contender finds all of it in the page cache
 * (this machine's memory reclaim takes pages of a cached gigabyte back within seconds: ~0.5 %
 * in 5 s, each a disk read in the middle of a timed run).
 */
const warm = (file) => () => spawnSync("cat", [file], { stdio: "ignore" });

function summary(json) {
  try {
    const r = JSON.parse(json);
    return { incidents: r.incidents.length, warnings: r.warnings.length, kind: r.bundle.files[0]?.kind ?? "?" };
  } catch (e) {
    return { incidents: NaN, warnings: NaN, kind: `unreadable output (${e.message})` };
  }
}

const x = (a, b) => `${(a / b).toFixed(2)}×`;
const s = (t) => `${t.toFixed(2)} s`;
const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
const kernelRows = [];
const csvRowsOut = [];
const podRows = [];
const podListRows = [];
const checks = [];
let startup;

try {
  if (runs("startup")) startup = await race({ node: ["node", ["-e", "0"]], cli: ["node", [CLI, "--version"]] });

  const kernelCases = [
    ...shapes.map((shape) => ({ shape, mib: size, reports: 100 })),
    ...reportCounts.filter((n) => n !== 100).map((reports) => ({ shape: "journal", mib: size, reports })),
    ...(small > 0 ? [{ shape: "journal", mib: small, reports: 100 }] : []),
  ];
  // Every log is generated first, then the cases are raced in rounds (`raceRounds`): run one case
  // after another, the first was often the slow one (1.57-1.65x against 1.3-1.45x for the others,
  // whichever shape came first).
  const kernelLogs = (runs("kernel") ? kernelCases : []).map((c) => {
    const file = join(dir, `${c.shape}-${c.mib}m-${c.reports}.log`);
    say(`kernel log: ${c.shape}, ${c.mib} MiB, ${c.reports} reports`);
    return { c, file, g: genKernelLog(file, c.mib * MiB, c.reports, c.shape) };
  });
  if (kernelLogs.length > 0) {
    settle();
    say(`kernel logs: ${repeat} rounds of ${kernelLogs.length} cases`);
    const results = await raceRounds(
      kernelLogs.map(({ file }) => ({
        contenders: { grep: grep(file), wc: wc(file), loop: nodeLoop(file), cli: cli(file) },
        before: warm(file),
      })),
    );
    for (const [i, { c, file, g }] of kernelLogs.entries()) {
      const r = results[i];
      const sum = summary(r.cli.out);
      kernelRows.push({ ...c, bytes: g.bytes, r });
      checks.push(
        `${c.shape} ${c.mib} MiB, ${c.reports} reports: ${sum.incidents} incidents, ${sum.warnings} warnings, grep counted ${r.grep.out.trim()}, exit ${r.cli.status}`,
      );
      rmSync(file);
    }
  }

  if (csvRows > 0 && runs("csv")) {
    const file = join(dir, "metrics.csv");
    say(`metrics CSV: ${csvRows} rows`);
    const g = genMetricsCsv(file, csvRows);
    settle();
    const r = await race({ wc: wc(file), loop: nodeLoop(file), cli: cli(file) }, warm(file));
    const sum = summary(r.cli.out);
    csvRowsOut.push({ rows: g.rows, bytes: g.bytes, r });
    checks.push(`metrics CSV ${g.rows} rows: read as ${sum.kind}, ${sum.warnings} warnings, exit ${r.cli.status}`);
    rmSync(file);
  }

  for (const pods of runs("pods") ? podCounts : []) {
    const bundle = join(dir, `pods-${pods}`);
    const sample = join(ROOT, "samples", "batch-load-512mi");
    say(`bundle of ${pods} pods`);
    const g = genPodBundle(
      bundle,
      pods,
      readFileSync(join(sample, "describe-pod.txt"), "utf8"),
      readFileSync(join(sample, "pod.json"), "utf8"),
    );
    const r = await race({ cli: cli(bundle) });
    const sum = summary(r.cli.out);
    podRows.push({ pods, files: g.files, bytes: g.bytes, r });
    checks.push(
      `${pods} pods (${g.files} files): ${sum.incidents} incidents, ${sum.warnings} warnings, exit ${r.cli.status}`,
    );
    rmSync(bundle, { recursive: true, force: true });
  }

  for (const sizeMiB of runs("podlist") ? podListSizes : []) {
    const file = join(dir, `pods-${sizeMiB}m.json`);
    say(`kubectl get pods -A -o json: ${sizeMiB} MiB`);
    const g = genPodList(
      file,
      sizeMiB * MiB,
      33,
      readFileSync(join(ROOT, "samples", "batch-load-512mi", "pod.json"), "utf8"),
    );
    settle();
    const r = await race({ wc: wc(file), loop: nodeLoop(file), cli: cli(file) }, warm(file));
    const sum = summary(r.cli.out);
    podListRows.push({ ...g, r, found: sum.incidents });
    checks.push(
      `PodList ${sizeMiB} MiB (${g.pods} pods, ${g.ooms} OOM-killed): ${sum.incidents} incidents, ${sum.warnings} warnings, exit ${r.cli.status}`,
    );
    rmSync(file);
  }
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else say(`inputs kept in ${dir}`);
}

const table = (head, rows) =>
  [
    `| ${head.join(" | ")} |`,
    `|${head.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const kernelTable = table(
  [
    "kernel log",
    "size",
    "reports",
    "oom-postmortem wall",
    "÷ grep wall",
    "÷ grep CPU",
    "÷ wc -l wall",
    "÷ Node newline loop wall",
    "peak RSS",
    "grep -c wall",
  ],
  kernelRows.map(({ shape, bytes, reports, r }) => [
    shape,
    `${(bytes / MiB).toFixed(0)} MiB`,
    reports,
    s(r.cli.wall),
    x(r.cli.wall, r.grep.wall),
    x(r.cli.cpu, r.grep.cpu),
    x(r.cli.wall, r.wc.wall),
    x(r.cli.wall, r.loop.wall),
    mib(r.cli.rssKiB),
    s(r.grep.wall),
  ]),
);
const csvTable = table(
  [
    "metrics CSV",
    "size",
    "oom-postmortem wall",
    "MB/s (wall)",
    "CPU",
    "MB/s (CPU)",
    "÷ wc -l wall",
    "÷ Node newline loop wall",
    "÷ Node newline loop CPU",
    "peak RSS",
  ],
  csvRowsOut.map(({ rows, bytes, r }) => [
    `${rows / 1e6} M rows Series,Time,Value`,
    `${(bytes / MiB).toFixed(0)} MiB`,
    s(r.cli.wall),
    (bytes / 1e6 / r.cli.wall).toFixed(0),
    s(r.cli.cpu),
    (bytes / 1e6 / r.cli.cpu).toFixed(0),
    x(r.cli.wall, r.wc.wall),
    x(r.cli.wall, r.loop.wall),
    x(r.cli.cpu, r.loop.cpu),
    mib(r.cli.rssKiB),
  ]),
);
const podTable = table(
  ["pod bundle", "files", "oom-postmortem wall", "CPU", "÷ first bundle (wall)", "÷ first bundle (CPU)", "peak RSS"],
  podRows.map(({ pods, files, r }) => [
    `${pods} pods`,
    files,
    s(r.cli.wall),
    s(r.cli.cpu),
    x(r.cli.wall, podRows[0].r.cli.wall),
    x(r.cli.cpu, podRows[0].r.cli.cpu),
    mib(r.cli.rssKiB),
  ]),
);
const podListTable = table(
  [
    "kubectl get pods -A -o json",
    "pods",
    "OOM-killed / incidents",
    "oom-postmortem wall",
    "CPU",
    "÷ wc -l wall",
    "÷ Node newline loop wall",
    "÷ first size (CPU)",
    "peak RSS",
  ],
  podListRows.map(({ bytes, pods, ooms, found, r }) => [
    `${(bytes / MiB).toFixed(0)} MiB`,
    pods,
    `${ooms} / ${found}`,
    s(r.cli.wall),
    s(r.cli.cpu),
    x(r.cli.wall, r.wc.wall),
    x(r.cli.wall, r.loop.wall),
    x(r.cli.cpu, podListRows[0].r.cli.cpu),
    mib(r.cli.rssKiB),
  ]),
);
const startupLine = startup
  ? `Start-up: \`node -e 0\` ${s(startup.node.wall)} wall, ${s(startup.node.cpu)} CPU; \`node dist/oom-postmortem.js --version\` ${s(startup.cli.wall)} wall (${x(startup.cli.wall, startup.node.wall)}), ${s(startup.cli.cpu)} CPU (${x(startup.cli.cpu, startup.node.cpu)}).`
  : "";

const report = [
  kernelRows.length ? kernelTable : "",
  csvRowsOut.length ? csvTable : "",
  podRows.length ? podTable : "",
  podListRows.length ? podListTable : "",
  startupLine,
]
  .filter(Boolean)
  .join("\n\n");
console.log(report);
console.log(checks.map((c) => `- ${c}`).join("\n"));

const runInfo = `- Date: ${new Date().toISOString()}
- Machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM
- Node: ${process.version}
- Load average at the end: ${loadavg()
  .map((v) => v.toFixed(1))
  .join(", ")}`;
const resultsFile = join(ROOT, "bench", "RESULTS.md");

if (!args.includes("--no-write") && only.length > 0) {
  // A partial run: its own section, between markers, in place of an earlier one of the same cases.
  const begin = `<!-- bench --only ${only.join(",")} -->`;
  const end = `<!-- end bench --only ${only.join(",")} -->`;
  const section = `${begin}
## Run of \`bench/run.mjs --only ${only.join(",")}\` (${repeat} run${repeat === 1 ? "" : "s"} per contender)

${runInfo}

${report}

Checks:
${checks.map((c) => `- ${c}`).join("\n")}
${end}`;
  const old = readFileSync(resultsFile, "utf8");
  const at = old.indexOf(begin);
  const next =
    at >= 0
      ? old.slice(0, at) + section + old.slice(old.indexOf(end, at) + end.length)
      : `${old.trimEnd()}\n\n${section}\n`;
  writeFileSync(resultsFile, next);
  say("wrote a section of bench/RESULTS.md");
} else if (!args.includes("--no-write")) {
  const md = `# Benchmark results

Produced by \`npm run bench\` (\`bench/run.mjs\`): inputs generated into a temp dir by
\`bench/gen.mjs\` and deleted afterwards; each contender run ${repeat} times, interleaved (the kernel logs in rounds over all of them), inputs
synced to disk and read once before every run (page cache warm); medians. Every figure is a ratio to a floor measured in the same run: \`LC_ALL=C grep
-c 'invoked oom-killer'\`, \`wc -l\`, a Node loop that only counts newlines
(\`bench/count-newlines.mjs\`), \`node -e 0\`. CPU = user + system time (less disturbed than wall
time by other work on a shared machine). The CLI runs as \`node dist/oom-postmortem.js <input> --format json
-q\`, start-up included. Peak RSS: \`/usr/bin/time\` maximum resident set size.

${runInfo}

${report}

Checks:
${checks.map((c) => `- ${c}`).join("\n")}
`;
  writeFileSync(resultsFile, md);
  say("wrote bench/RESULTS.md");
}
