/**
 * The report as an attack surface, end to end through the BUILT CLI (`npm run build` first):
 * a real sample bundle (samples/jvm-heap-off-node) is copied to a temp dir and rewritten so
 * that its artifacts carry (1) active-content payloads — `<script>`, `<img onerror>`,
 * `javascript:` links, HTML attributes, Markdown pipes/backticks/headings/links — in the pod
 * name, container name, kernel process name and event messages, and (2) secrets — env values
 * named PASSWORD/TOKEN/SECRET/KEY/CREDENTIAL, bearer tokens, `postgres://u:pass@h` URLs — in
 * the env (JAVA_TOOL_OPTIONS, which the report quotes as runtime-flag evidence), the args and
 * event messages.
 *
 * Checks: every payload reaches the JSON (so the test is not vacuous) but md and html stay
 * inert; with default redaction no secret value appears in md, html or json; with
 * `--no-redact` the secrets that reach the report are kept.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Marked } from "marked";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, runCli } from "./cli.js";

const SAMPLE = join(REPO, "samples/jvm-heap-off-node");
const POD = "payments-84c6d9f5b7-tx9vl";
const CONTAINER = "payments";

/** Hostile names: no whitespace, so the kubectl and kernel line formats still parse. */
const HOSTILE_POD = "pay<script>alert(1)</script>";
const HOSTILE_CONTAINER = "app<img/src=x/onerror=alert(2)>";
const HOSTILE_PROCESS = "<script>";
const HOSTILE_MESSAGE =
  'Back-off [x](javascript:alert(3)) <img src=x onerror=alert(4)> <a href="javascript:alert(5)" onclick="alert(6)">y</a> | pipe | `tick` ```fence``` # heading';

/** Secret values: each unique, so a substring search proves presence or absence. */
const SECRETS = {
  envTrustStorePassword: "hunter2TSP",
  envDbUrlPassword: "pgpassENV77",
  envBearer: "eyJhbGciOiJIUzI1NiJ9.ZW52.envBearerSig",
  envApiKey: "apikeyENV123",
  argToken: "argTOKEN4242",
  argUrlPassword: "pgpassARG88",
  argSecret: "argSECRETzz",
  eventBearer: "evBearerTok999",
  eventUrlPassword: "pgpassEVT66",
  eventCredential: "evCREDENTIALqq",
} as const;

const JAVA_OPTS_EXTRA = [
  `-Djavax.net.ssl.trustStorePassword=${SECRETS.envTrustStorePassword}`,
  `-Ddb.url=postgres://app:${SECRETS.envDbUrlPassword}@db:5432/pay`,
  `-Dhttp.auth=Bearer ${SECRETS.envBearer}`,
  `-Dapi.key=${SECRETS.envApiKey}`,
].join(" ");
const ARGS_EXTRA = [
  `-Xmx4g`,
  `--api-token=${SECRETS.argToken}`,
  `--db=postgres://svc:${SECRETS.argUrlPassword}@pg.internal/pay`,
  `CLIENT_SECRET=${SECRETS.argSecret}`,
];
const EVENT_WITH_SECRETS = `Error: connect postgres://svc:${SECRETS.eventUrlPassword}@db:5432 failed; Authorization: Bearer ${SECRETS.eventBearer}; DB_CREDENTIAL=${SECRETS.eventCredential}`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Copies the sample and applies the rewrites; returns the bundle dir. The report quotes only
 * the first oversized runtime flag as evidence (args before env), so the secrets go into the
 * args in one variant and into JAVA_TOOL_OPTIONS in the other.
 */
function hostileBundle(secretsIn: "args" | "env"): string {
  const dir = mkdtempSync(join(tmpdir(), "oom-hostile-"));
  dirs.push(dir);
  cpSync(SAMPLE, dir, { recursive: true });
  rmSync(join(dir, "README.md"), { force: true });

  const podPath = join(dir, "pod.json");
  const pod = JSON.parse(readFileSync(podPath, "utf8").replaceAll(POD, HOSTILE_POD));
  for (const c of pod.spec.containers) {
    if (c.name !== CONTAINER) continue;
    c.name = HOSTILE_CONTAINER;
    if (secretsIn === "args") c.args = [...ARGS_EXTRA, ...(c.args ?? [])];
    else for (const e of c.env ?? []) if (e.name === "JAVA_TOOL_OPTIONS") e.value = `${e.value} ${JAVA_OPTS_EXTRA}`;
  }
  for (const s of pod.status?.containerStatuses ?? []) if (s.name === CONTAINER) s.name = HOSTILE_CONTAINER;
  writeFileSync(podPath, JSON.stringify(pod, null, 2));

  const describePath = join(dir, "describe-pod.txt");
  let describe = readFileSync(describePath, "utf8")
    .replaceAll(POD, HOSTILE_POD)
    .replace(/^ {2}payments:$/m, `  ${HOSTILE_CONTAINER}:`);
  if (secretsIn === "env") describe = describe.replace(/(JAVA_TOOL_OPTIONS:\s+)(\S.*)$/m, `$1$2 ${JAVA_OPTS_EXTRA}`);
  describe = describe.replace(
    /^( {2}Warning {2}BackOff\s+\S+ \(x\d+ over \S+\)\s+kubelet\s+)\S.*$/m,
    `$1${HOSTILE_MESSAGE}`,
  );
  describe = describe.replace(
    /^( {2}Warning {2}Unhealthy\s+\S+ \(x\d+ over \S+\)\s+kubelet\s+)\S.*$/m,
    `$1${EVENT_WITH_SECRETS}`,
  );
  writeFileSync(describePath, describe);

  const dmesgPath = join(dir, "dmesg.txt");
  writeFileSync(
    dmesgPath,
    readFileSync(dmesgPath, "utf8")
      .replaceAll("(java)", `(${HOSTILE_PROCESS})`)
      .replace(/ java$/gm, ` ${HOSTILE_PROCESS}`)
      .replaceAll("task=java,", `task=${HOSTILE_PROCESS},`),
  );
  return dir;
}

const bundles = { args: hostileBundle("args"), env: hostileBundle("env") };

function render(format: "md" | "html" | "json", ...flags: string[]): string {
  return renderBundle(bundles.env, format, ...flags);
}

/**
 * The report as text: Markdown at `--detail full` (every table, so every quoted value), HTML
 * without its `<wbr>` soft breaks (which would hide a leaked value from a substring search).
 */
function renderBundle(bundle: string, format: "md" | "html" | "json", ...flags: string[]): string {
  const r = runCli([bundle, "--format", format, "--quiet", ...(format === "md" ? ["--detail", "full"] : []), ...flags]);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.status, r.stderr).toBe(0);
  return format === "html" ? r.stdout.replaceAll("<wbr>", "") : r.stdout;
}

/** Start tags of an HTML document. */
const tags = (html: string): string[] => [...html.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0]);

function expectInertHtml(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/<iframe|<object|<embed|<form|<link/i);
  for (const tag of tags(html)) {
    expect(tag, tag).not.toMatch(/\son[a-z]+\s*=/i);
    expect(tag, tag).not.toMatch(/(?:href|src|action)\s*=\s*(?:["']\s*)?(?:javascript|data|vbscript):/i);
  }
  // The only anchors left may point to web pages or in-page anchors.
  for (const tag of tags(html).filter((t) => /^<a\b/i.test(t))) expect(tag).toMatch(/href="(?:https?:\/\/|#)/);
}

describe("hostile artifact text, end to end (built CLI)", () => {
  const json = render("json");
  const report = JSON.parse(json);
  const md = render("md");
  const html = render("html");

  it("the payloads reach the report model (pod, container, process, event message)", () => {
    expect(json).toContain(JSON.stringify(HOSTILE_POD).slice(1, -1));
    expect(json).toContain(JSON.stringify(HOSTILE_CONTAINER).slice(1, -1));
    expect(json).toContain(`(${HOSTILE_PROCESS})`);
    expect(json).toContain("javascript:alert(3)");
    expect(report.incidents.length).toBeGreaterThan(0);
  });

  it("the HTML report has no script, no event handler, no javascript:/data: URL, no image", () => {
    expectInertHtml(html);
    // The payload text is shown, as text.
    expect(html).toContain("&lt;script&gt;");
  });

  it("the Markdown report renders inert in a plain GFM renderer (any viewer)", () => {
    expectInertHtml(new Marked({ gfm: true }).parse(md, { async: false }));
    expect(md).not.toMatch(/^#+ heading/m);
    expect(md).not.toMatch(/(?<!\\)\]\(javascript:/);
  });

  it("every Markdown table row keeps its header's column count", () => {
    const rendered = new Marked({ gfm: true }).parse(md, { async: false });
    for (const table of rendered.match(/<table>[\s\S]*?<\/table>/g) ?? []) {
      const header = (table.match(/<th\b/g) ?? []).length;
      for (const row of table.match(/<tr>[\s\S]*?<\/tr>/g)!.slice(1))
        expect((row.match(/<td\b/g) ?? []).length).toBe(header);
    }
  });

  it("the JSON report is valid JSON carrying the payloads as plain strings", () => {
    expect(JSON.parse(json)).toEqual(report);
  });
});

describe("redaction, end to end (built CLI)", () => {
  const formats = ["md", "html", "json"] as const;
  // Both variants' outputs, concatenated per format.
  const both = (f: (typeof formats)[number], ...flags: string[]) =>
    renderBundle(bundles.args, f, ...flags) + renderBundle(bundles.env, f, ...flags);
  const raw = Object.fromEntries(formats.map((f) => [f, both(f, "--no-redact")])) as Record<
    (typeof formats)[number],
    string
  >;
  const redacted = Object.fromEntries(formats.map((f) => [f, both(f)])) as Record<(typeof formats)[number], string>;
  const all = Object.entries(SECRETS);
  const reaching = all.filter(([, v]) => formats.some((f) => raw[f].includes(v)));

  it("secrets reach the unredacted report through env, args and event messages (the test is real)", () => {
    const channels = new Set(reaching.map(([k]) => k.replace(/[A-Z].*$/, "")));
    expect([...channels].sort(), `secrets seen with --no-redact: ${reaching.map(([k]) => k).join(", ")}`).toEqual([
      "arg",
      "env",
      "event",
    ]);
    // The env secrets must all be there: the report quotes JAVA_TOOL_OPTIONS as evidence.
    for (const k of ["envTrustStorePassword", "envDbUrlPassword", "envBearer", "envApiKey"])
      expect(reaching.map(([name]) => name)).toContain(k);
  });

  it.each(formats)("no secret value appears in the %s report by default", (f) => {
    for (const [name, value] of all)
      expect(redacted[f].includes(value), `${name} (${value}) leaked into ${f}`).toBe(false);
    // Markdown prose escapes the brackets (`\[REDACTED\]` renders as [REDACTED]).
    expect(f === "md" ? redacted.md.replace(/\\([[\]])/g, "$1") : redacted[f]).toContain("[REDACTED]");
  });

  it.each(formats)("--no-redact keeps the secrets in the %s report", (f) => {
    for (const [name, value] of reaching) {
      if (f === "json") expect(raw.json.includes(value), `${name} missing from json`).toBe(true);
    }
    expect(reaching.some(([, v]) => raw[f].includes(v))).toBe(true);
    expect(raw[f]).not.toContain("[REDACTED]");
  });
});
