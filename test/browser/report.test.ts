/**
 * The HTML report in a real browser: for each `samples/*` bundle the report is rendered by the
 * CLI's own steps in-process (`e2e/in-process.ts`; the hostile case below runs the built CLI) to a
 * temp file, Debian's chromium (driven by playwright-core, no downloaded browser)
 * opens it, and we check what a reader sees — the verdict, the evidence list, the usage chart
 * when the report has one — and what must not happen: no network request besides the file
 * itself, no script element, no console message, no dialog. A screenshot of each report is
 * saved to `$TMPDIR/oom-postmortem-screenshots/<sample>-<width>.png` at 1,280 and 390 px, where
 * nothing but a code block may be wider than the page and short ids must not wrap mid-word.
 *
 * Needs `/usr/bin/chromium` (`apt-get install -y --no-install-recommends chromium`; `.ci/run`
 * installs it). Without it the browser tests are reported as skipped, with the reason (and
 * `.ci/run`, which runs every test, counts a skipped test as a failure).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, runCli } from "../e2e/cli.js";
import { renderInProcess, reportInProcess } from "../e2e/in-process.js";

const CHROMIUM = "/usr/bin/chromium";
const LAUNCH_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const SAMPLES = join(REPO, "samples");
const SCREENSHOTS = join(tmpdir(), "oom-postmortem-screenshots");
/** Viewport widths every report must fit: a laptop and a phone, in CSS px. */
const WIDTHS = [1280, 390];

const samples = readdirSync(SAMPLES)
  .filter((d) => statSync(join(SAMPLES, d)).isDirectory())
  .sort();
const out = mkdtempSync(join(tmpdir(), "oom-browser-"));

let browser: Browser | null = null;
afterAll(async () => {
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

/** Why the browser tests cannot run here, or null when chromium is installed. */
const NO_CHROMIUM = existsSync(CHROMIUM)
  ? null
  : `${CHROMIUM} not found: apt-get install -y --no-install-recommends chromium`;

async function getBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  return browser;
}

/** A describe whose events and container name carry active content, read from stdin. */
function hostileDescribe(): string {
  return readFileSync(join(SAMPLES, "jvm-heap-off-node/describe-pod.txt"), "utf8")
    .replace(
      /^( {2}Warning {2}BackOff\s+\S+ \(x\d+ over \S+\)\s+kubelet\s+)\S.*$/m,
      `$1<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) <img src="https://evil.example/p.png"> <iframe src="https://evil.example/"></iframe>`,
    )
    .replace(
      /^( {2}Warning {2}Unhealthy\s+\S+ \(x\d+ over \S+\)\s+kubelet\s+)\S.*$/m,
      `$1<svg onload=alert(4)><style>body{background:url(https://evil.example/t)}</style> <a href="javascript:alert(5)">y</a>`,
    );
}

describe("HTML report in chromium", () => {
  it("there are sample bundles to render", () => {
    expect(samples.length).toBeGreaterThan(0);
  });

  it.for(samples)(
    "%s: verdict, evidence (and chart when present) are visible; no request, no script, no dialog",
    async (sample, ctx) => {
      ctx.skip(NO_CHROMIUM !== null, NO_CHROMIUM ?? "");
      const file = join(out, `${sample}.html`);
      writeFileSync(file, await renderInProcess(await reportInProcess(join(SAMPLES, sample)), "html"));
      const url = pathToFileURL(file).href;

      const b = await getBrowser();
      const context = await b.newContext({ viewport: { width: 1200, height: 900 }, javaScriptEnabled: true });
      const page = await context.newPage();
      const requests: string[] = [];
      const consoleMessages: string[] = [];
      const dialogs: string[] = [];
      page.on("request", (req) => requests.push(req.url()));
      page.on("console", (msg) => consoleMessages.push(`${msg.type()}: ${msg.text()}`));
      page.on("pageerror", (err) => consoleMessages.push(`pageerror: ${err.message}`));
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      try {
        await page.goto(url, { waitUntil: "load" });

        if (/^Expected event: none\s*$/m.test(readFileSync(join(SAMPLES, sample, "README.md"), "utf8"))) {
          // No kill: the title says so and the memory reading is shown instead of a verdict.
          await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toMatch(/no kill found/);
          await expect(
            page
              .getByRole("heading", { name: /Memory reading/ })
              .first()
              .isVisible(),
          ).resolves.toBe(true);
        } else {
          // The verdict callout of the first incident: the summary (cause and confidence) and the evidence list.
          const callout = page.locator(".verdict").first();
          await expect(callout.isVisible()).resolves.toBe(true);
          expect(await callout.textContent(), `${sample}: no cause in the callout`).toMatch(
            /Cause: \S+, (?:high|medium|low) confidence/,
          );
          const evidenceItems = callout.locator("p:has-text('Evidence:') + ul > li");
          if ((await evidenceItems.count()) > 0) {
            await expect(evidenceItems.first().isVisible()).resolves.toBe(true);
            expect(await evidenceItems.first().textContent()).toMatch(/:\d+/);
          } else {
            // No verdict evidence: the report must say so in the text instead.
            expect(await page.locator("main").textContent()).toMatch(/evidence/i);
          }
        }

        // The usage chart, when the report has one: visible and non-empty.
        const charts = page.locator("svg");
        const chartCount = await charts.count();
        for (let i = 0; i < chartCount; i++) {
          const box = await charts.nth(i).boundingBox();
          expect(box, `${sample}: chart ${i} has no box`).not.toBeNull();
          expect(box!.width).toBeGreaterThan(100);
          expect(box!.height).toBeGreaterThan(50);
          await expect(charts.nth(i).isVisible()).resolves.toBe(true);
        }

        // Inert: no script element, no request but the file, no console output, no dialog.
        expect(await page.evaluate(() => document.scripts.length)).toBe(0);
        expect(
          await page.evaluate(
            () => document.querySelectorAll("[onload],[onerror],[onclick],iframe,object,embed,link[rel]").length,
          ),
        ).toBe(0);
        expect(requests).toEqual([url]);
        expect(consoleMessages).toEqual([]);
        expect(dialogs).toEqual([]);

        // Fits a laptop and a phone: nothing wider than the viewport but code blocks (which scroll
        // inside themselves), and short ids (no space, under 24 characters) never wrap mid-word.
        mkdirSync(SCREENSHOTS, { recursive: true });
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 900 });
          const layout = await page.evaluate(() => {
            const vw = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll("main *")]
              .filter((e) => !e.closest("pre") && e.getBoundingClientRect().right > vw + 0.5)
              .map(
                (e) =>
                  `${e.tagName} ${Math.round(e.getBoundingClientRect().right)} ${(e.textContent ?? "").slice(0, 40)}`,
              );
            const broken = [...document.querySelectorAll("main code")]
              .filter(
                (e) =>
                  !e.closest("pre") &&
                  !/\s/.test(e.textContent ?? "") &&
                  (e.textContent ?? "").length < 24 &&
                  e.getClientRects().length > 1,
              )
              .map((e) => e.textContent);
            return {
              scroll: document.documentElement.scrollWidth,
              vw,
              wide: wide.slice(0, 5),
              broken: broken.slice(0, 5),
            };
          });
          expect(layout.scroll, `${sample} at ${width} px: ${layout.wide.join("; ")}`).toBeLessThanOrEqual(layout.vw);
          expect(layout.wide, `${sample} at ${width} px`).toEqual([]);
          expect(layout.broken, `${sample} at ${width} px: ids broken mid-word`).toEqual([]);
          const shot = join(SCREENSHOTS, `${sample}-${width}.png`);
          await page.screenshot({ path: shot, fullPage: false });
          expect(existsSync(shot)).toBe(true);
        }
      } finally {
        await context.close();
      }
    },
  );

  it("a report built from hostile artifact text runs nothing and loads nothing in chromium", async (ctx) => {
    ctx.skip(NO_CHROMIUM !== null, NO_CHROMIUM ?? "");
    const file = join(out, "hostile.html");
    const r = runCli(["-", "-o", file, "--quiet"], hostileDescribe());
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("evil.example");
    const url = pathToFileURL(file).href;
    const context = await (await getBrowser()).newContext();
    const page = await context.newPage();
    const seen: string[] = [];
    page.on("request", (req) => seen.push(`request ${req.url()}`));
    page.on("console", (msg) => seen.push(`console ${msg.text()}`));
    page.on("pageerror", (err) => seen.push(`pageerror ${err.message}`));
    page.on("dialog", (d) => {
      seen.push(`dialog ${d.message()}`);
      void d.dismiss();
    });
    try {
      await page.goto(url, { waitUntil: "load" });
      // Click every link: none may navigate or run anything. A link the reader cannot see (in a
      // closed <details>) gets the click event dispatched: a real click would wait 2 s for it to show.
      for (const a of await page.locator("a").all()) {
        if (await a.isVisible()) await a.click({ timeout: 2000 }).catch(() => undefined);
        else await a.dispatchEvent("click");
      }
      await page.waitForTimeout(200);
      expect(seen).toEqual([`request ${url}`]);
      expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      expect(
        await page.evaluate(() => document.querySelectorAll("img,iframe,svg [onload],[onerror],[onload]").length),
      ).toBe(0);
      expect(await page.locator("main").textContent()).toContain("<script>alert(1)</script>");
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, "hostile.png"), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
