import { describe, it, expect } from "vitest";
import { renderReport } from "../../src/render/index.js";
import { redactReport, redactText } from "../../src/util/redact.js";
import { makeReport } from "./fixture-report.js";

/** Each secret shape: input line, the secret that must disappear, the expected line. */
const SHAPES: { name: string; input: string; secret: string; expected: string }[] = [
  { name: "env NAME=value", input: "DB_PASSWORD=hunter2", secret: "hunter2", expected: "DB_PASSWORD=[REDACTED]" },
  { name: "YAML NAME: value", input: "  password: s3cr3t!x", secret: "s3cr3t!x", expected: "  password: [REDACTED]" },
  {
    name: "JSON quoted",
    input: '{"apiKey": "k-7f3a9", "user": "app"}',
    secret: "k-7f3a9",
    expected: '{"apiKey": "[REDACTED]", "user": "app"}',
  },
  {
    name: "token",
    input: "GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    secret: "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    expected: "GITHUB_TOKEN=[REDACTED]",
  },
  {
    name: "secret key",
    input: "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    secret: "wJalrXUtnFEMI",
    expected: "AWS_SECRET_ACCESS_KEY=[REDACTED]",
  },
  { name: "credential", input: "client-credential=c9d8e7", secret: "c9d8e7", expected: "client-credential=[REDACTED]" },
  {
    name: "passwd, mixed case",
    input: "Db_Passwd = 'two words'",
    secret: "two words",
    expected: "Db_Passwd = '[REDACTED]'",
  },
  { name: "auth word", input: "x-auth: abc123", secret: "abc123", expected: "x-auth: [REDACTED]" },
  {
    name: "query string token",
    input: "GET /api?access_token=abc123&page=2",
    secret: "abc123",
    expected: "GET /api?access_token=[REDACTED]&page=2",
  },
  {
    name: "Bearer token",
    input: "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    secret: "eyJhbGciOiJIUzI1NiJ9",
    expected: "Authorization: Bearer [REDACTED]",
  },
  {
    name: "Basic auth header",
    input: "Authorization: Basic dXNlcjpwYXNz",
    secret: "dXNlcjpwYXNz",
    expected: "Authorization: Basic [REDACTED]",
  },
  {
    name: "URL with password",
    input: "DATABASE_URL=postgres://app:hunter2@db.shop.svc:5432/orders",
    secret: "hunter2",
    expected: "DATABASE_URL=postgres://app:[REDACTED]@db.shop.svc:5432/orders",
  },
  {
    name: "URL with empty user",
    input: "redis://:pw123@cache:6379/0",
    secret: "pw123",
    expected: "redis://:[REDACTED]@cache:6379/0",
  },
  {
    name: "java -D password property",
    input: "java -Xmx1536m -Djavax.net.ssl.keyStorePassword=changeit -Dsome.password=x1 -jar app.jar",
    secret: "changeit",
    expected: "java -Xmx1536m -Djavax.net.ssl.keyStorePassword=[REDACTED] -Dsome.password=[REDACTED] -jar app.jar",
  },
  {
    name: "AWS access key id",
    input: "aws_access_key_id AKIAIOSFODNN7EXAMPLE in env",
    secret: "AKIAIOSFODNN7EXAMPLE",
    expected: "aws_access_key_id [REDACTED] in env",
  },
];

/** Text that looks a bit like a secret but is not: must come out unchanged. */
const LOOKALIKES = [
  "oom_score_adj:969",
  "-XX:MaxRAMPercentage=75.0 MaxRAMPercentage=75",
  "monkey=3 keyboard=us author: Jane turkey=1",
  "the memory-key cache",
  "[2914601.180912] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=9b2f6c1e4d7a,mems_allowed=0,task=worker,pid=31744,uid=1000",
  "[2914601.181433] Memory cgroup out of memory: Killed process 31744 (worker) total-vm:3311232kB, anon-rss:2092912kB, file-rss:20716kB, shmem-rss:0kB, UID:1000 pgtables:4612kB oom_score_adj:984",
  "      DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false",
  "env PASSWORD=$(cat /run/secrets/db)",
  "see http://example.org:8080/path and https://user@example.org/x",
  "Last State: Terminated, Reason: OOMKilled, Exit Code: 137",
];

describe("redactText", () => {
  it.each(SHAPES)("redacts $name", ({ input, secret, expected }) => {
    const out = redactText(input);
    expect(out).toBe(expected);
    expect(out).not.toContain(secret);
  });

  it.each(LOOKALIKES)("leaves %j unchanged", (text) => {
    expect(redactText(text)).toBe(text);
  });

  it("is idempotent", () => {
    for (const { input } of SHAPES) expect(redactText(redactText(input))).toBe(redactText(input));
  });
});

function reportWithSecrets() {
  const report = makeReport();
  const incident = report.incidents[0]!;
  SHAPES.forEach(({ input }, i) => incident.verdict.evidence.push({ file: "env.txt", line: i + 1, text: input }));
  incident.verdict.summary = `the JVM ran with ${SHAPES[13]!.input}`;
  incident.hypotheses[0]!.reason = `connection string ${SHAPES[11]!.input}`;
  incident.actions[0]!.command = `curl -H '${SHAPES[9]!.input}' https://api.example/x`;
  incident.actions[0]!.detail = SHAPES[0]!.input;
  incident.timeline[0]!.what = SHAPES[14]!.input;
  incident.notes.push(SHAPES[12]!.input);
  report.warnings.push({ file: "env.txt", line: 3, message: `could not parse ${SHAPES[2]!.input}` });
  return report;
}

describe("redactReport", () => {
  it("returns a deep copy and leaves the input untouched", () => {
    const report = reportWithSecrets();
    const before = JSON.stringify(report);
    const redacted = redactReport(report);
    expect(JSON.stringify(report)).toBe(before);
    expect(redacted).not.toBe(report);
    expect(redacted.incidents[0]).not.toBe(report.incidents[0]);
    // numbers, nulls and untouched strings keep their values and types
    expect(redacted.incidents[0]!.kills[0]!.anonRssBytes).toBe(2143141888);
    expect(redacted.incidents[1]!.kills[0]!.time).toBeNull();
    expect(redacted.incidents[0]!.subject).toEqual(report.incidents[0]!.subject);
  });

  it.each(["md", "html", "json"] as const)("removes every secret shape from the %s report", async (format) => {
    const report = reportWithSecrets();
    // The full depth shows every evidence line; `<wbr>` (soft breaks in HTML code) is not text.
    const text = (out: string) => out.replaceAll("<wbr>", "");
    const plain = text(await renderReport(report, format, { detail: "full" }));
    const redacted = text(await renderReport(redactReport(report), format, { detail: "full" }));
    for (const { name, secret } of SHAPES) {
      expect(plain, `${name} is in the unredacted ${format} report`).toContain(secret);
      expect(redacted, `${name} leaked into the ${format} report`).not.toContain(secret);
    }
    expect(redacted).toContain("[REDACTED]");
    expect(redacted).toContain("DB_PASSWORD=[REDACTED]");
  });

  it("keeps the report readable: kernel lines, sizes and names are unchanged", async () => {
    const md = await renderReport(redactReport(makeReport()), "md");
    expect(md).toBe(await renderReport(makeReport(), "md"));
  });
});
