/**
 * oom-postmortem CLI: argv → startPostmortem → render (incident by incident) → stdout or `-o FILE` (atomic).
 * The only module that prints usage or writes to stderr. The command (`launch.ts`) loads it from its
 * bundle with `cli-loader.ts` and runs `runCli`; run as a script itself (`node dist/cli.js …`,
 * tsc's modules, without the early helper or the code cache), it runs on its own arguments.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { EXIT, NOTHING_RECOGNISED, UsageError } from "./errors.js";
import { FULL_INCIDENTS } from "./render/budget.js";
import { VERSION } from "./package-files.js";

const FORMATS = ["md", "html", "json"] as const;
type Format = (typeof FORMATS)[number];

/** The help's closing text; it lists every ingester, so the registry is loaded only for `--help`. */
const epilog = async (): Promise<string> => `Artifact kinds (decided from content, not file name):
${(await import("./ingest/index.js")).ingesters.map((i) => `  ${i.kind.padEnd(18)} ${i.description}`).join("\n")}

Exit codes:
  0  report written
  1  internal error (a bug: please report it)
  2  usage error, or the bundle path cannot be read
  3  no file in the bundle was recognised (the report still lists them)
  4  --strict and some input produced warnings

Examples:
  oom-postmortem ./bundle/                       Markdown report on stdout (paste it into the ticket)
  oom-postmortem ./bundle/ --detail full         the same with every table (all kills, timeline, causes)
  oom-postmortem ./bundle/ -o postmortem.html    self-contained HTML, written atomically
  oom-postmortem support-bundle.tar.gz           a collector's archive, read without extracting
  oom-postmortem ./bundle/ --format json | jq '.incidents[0].verdict'
  kubectl describe pod api-7d9 | oom-postmortem -`;

async function main(argv: string[]): Promise<number> {
  const args = await yargs(argv)
    .scriptName("oom-postmortem")
    .usage(
      "$0 <bundle> [options]\n\nTurns the artifacts saved after an OOM kill (kubectl describe, pod JSON/YAML, kernel logs, …) into a postmortem with a root-cause verdict.\n<bundle> is a folder, a single file, an archive (.tar, .tar.gz/.tgz, .gz, .zip, .tar.xz; read in place), or - for stdin.",
    )
    .positional("bundle", { type: "string", describe: "folder, file, archive, or - for stdin" })
    .option("format", {
      alias: "f",
      choices: FORMATS,
      describe: "output format (default: from -o's extension, else md)",
    })
    .option("output", {
      alias: "o",
      type: "string",
      describe: "write the report to FILE (atomically) instead of stdout",
    })
    .option("detail", {
      choices: ["short", "full"] as const,
      default: "short" as const,
      describe:
        "Markdown depth: short (summary, evidence, next steps) or full (every table); HTML has every table, the full ones folded",
    })
    .option("full-incidents", {
      type: "number",
      default: FULL_INCIDENTS,
      describe:
        "Markdown/HTML: incidents detailed in full; the rest are rows of the overview table (JSON always has all)",
    })
    .option("redact", {
      type: "boolean",
      default: true,
      describe: "redact secret-looking values (use --no-redact to keep them)",
    })
    .option("strict", { type: "boolean", default: false, describe: "exit 4 when any input produced a warning" })
    .option("quiet", { alias: "q", type: "boolean", default: false, describe: "no progress on stderr" })
    .demandCommand(1, "give the bundle to analyse: a folder, a file, or - for stdin")
    .strict()
    .epilog(argv.includes("--help") ? await epilog() : "") // yargs prints it only for --help
    .version(VERSION)
    .help()
    .wrap(null)
    .fail((msg, err) => {
      throw new UsageError(msg ?? err?.message ?? "bad usage");
    })
    .parseAsync();

  const [bundlePath, ...extra] = args._.map(String);
  if (extra.length > 0)
    throw new UsageError(`one bundle at a time (got ${args._.length}); put the files in one folder`);
  if (!Number.isInteger(args.fullIncidents) || args.fullIncidents < 0)
    throw new UsageError(
      `--full-incidents takes a whole number of incidents, 0 or more (got ${String(args.fullIncidents)})`,
    );
  if (args.output !== undefined) {
    const { outputProblem } = await import("./render/output-path.js");
    const problem = await outputProblem(args.output, bundlePath!);
    if (problem) throw new UsageError(problem);
  }
  // The stages load once the arguments are read and checked: `--version`, `--help` and a refused `-o` never load them.
  const [{ startPostmortem }, { formatFromPath, renderStreamedPieces, writeAtomic, writePieces }, { spoolStdin }] =
    await Promise.all([import("./pipeline.js"), import("./render/index.js"), import("./stdin.js")]);
  const format: Format = args.format ?? (args.output ? formatFromPath(args.output) : null) ?? "md";
  const progress = !args.quiet && process.stderr.isTTY;
  const stdin = bundlePath === "-" ? await spoolStdin(process.stdin) : undefined;

  let exitCode: number = EXIT.ok;
  const run = await startPostmortem({
    bundlePath: bundlePath!,
    stdin,
    onProgress: progress
      ? (done, total, path) =>
          process.stderr.write(`\room-postmortem: reading ${done + 1}/${total} ${path.slice(-60)}\x1b[K`)
      : undefined,
  });
  if (progress) process.stderr.write("\r\x1b[K");
  if (run.nothingRecognised) {
    process.stderr.write(`oom-postmortem: ${NOTHING_RECOGNISED} (${bundlePath})\n`);
    exitCode = EXIT.nothingRecognised;
  }
  // Each incident is diagnosed as the report is written (JSON prints it and lets it go).
  const pieces = renderStreamedPieces(run, format, {
    detail: args.detail,
    fullIncidents: args.fullIncidents,
    redact: args.redact,
  });
  if (args.output) {
    await writeAtomic(args.output, pieces).catch((err: NodeJS.ErrnoException) => {
      throw writeFailure(`-o ${args.output}`, err);
    });
    if (!args.quiet) process.stderr.write(`oom-postmortem: ${format} report written to ${args.output}\n`);
  } else
    await writePieces(process.stdout, pieces).catch((err: NodeJS.ErrnoException) => {
      // The reader went away (`oom-postmortem … | head`): stop writing, quietly, as ripgrep does
      // (not "internal error"); the exit code is what the report would have had.
      if (err.code === "EPIPE") return;
      throw writeFailure("the report to stdout", err);
    });
  const late = run.quoteWarnings();
  for (const w of late) process.stderr.write(`oom-postmortem: warning: ${w.file}: ${w.message}\n`);
  const warnings = run.report.warnings.length + late.length;
  if (exitCode === EXIT.ok && args.strict && warnings > 0) {
    process.stderr.write(`oom-postmortem: ${warnings} warning(s) and --strict\n`);
    exitCode = EXIT.strictWarnings;
  }
  return exitCode;
}

// What to throw for a failed write of the report to `target`: a one-line UsageError for the file
// system's errors (no space left, permissions), the error itself (a bug of ours) for any other.
function writeFailure(target: string, err: NodeJS.ErrnoException): Error {
  if (typeof err.code !== "string") return err;
  return new UsageError(
    `cannot write ${target}: ${err.code === "ENOSPC" ? "no space left on the device" : err.message}`,
  );
}

/**
 * Runs the command on `argv` (`process.argv`: node, script, then the arguments) and resolves to its
 * exit code (`EXIT`); never rejects: a usage error and our own bugs are told on stderr.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    return await main(hideBin([...argv]));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`oom-postmortem: ${err.message}\nRun oom-postmortem --help for usage.\n`);
      return EXIT.usage;
    }
    process.stderr.write(
      `oom-postmortem: internal error: ${(err as Error)?.message ?? String(err)} (a bug: please report it with the command you ran)\n`,
    );
    return EXIT.internal;
  }
}

// `node dist/cli.js …`: the module is the script node was started with (the scenario checks and
// older scripts run it so). Not when the launcher runs it from the bundle, nor when it is imported.
if (isTheScript()) void runCli(process.argv).then((code) => (process.exitCode = code));

function isTheScript(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch (err) {
    if (typeof (err as NodeJS.ErrnoException).code === "string") return false; // no such file: `node -e …`
    throw err;
  }
}
