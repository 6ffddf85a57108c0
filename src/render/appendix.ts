/**
 * The HTML report's appendix of cited lines: for every `file:line` the report links to, the line
 * as the bundle has it with up to two lines of context, the cited line marked, under the anchor
 * `#q<n>` its citations point to. Trusted HTML built from escaped text only.
 *
 * Sample entry: `<div class="quote" id="q1"><p><code>dmesg.txt:11</code></p><pre>…<mark>
 * <span class="ln">11</span>[2914601.180601] memory: usage 2097152kB, …</mark>…</pre></div>`.
 */
import type { Quote } from "../model/incident.js";
import type { Citations } from "./cite.js";
import { escapeHtml } from "./html-escape.js";

/** The appendix section for the citations made so far. */
export function appendixHtml(cite: Citations, quotes: Record<string, Quote>): string {
  const entries = [...cite.anchors.entries()].sort((a, b) => a[1] - b[1]);
  const items = entries.map(([key, n]) => {
    const q = quotes[key];
    if (!q) return "";
    const cited = q.first + q.before.length;
    const line = (no: number, text: string, mark: boolean) => {
      const body = `<span class="ln">${no}</span>${escapeHtml(text)}`;
      return mark ? `<mark>${body}</mark>` : body;
    };
    const lines = [
      ...q.before.map((t, i) => line(q.first + i, t, false)),
      line(cited, q.text, true),
      ...q.after.map((t, i) => line(cited + 1 + i, t, false)),
    ];
    return `<div class="quote" id="q${n}"><p><code>${escapeHtml(key)}</code></p><pre>${lines.join("\n")}</pre></div>`;
  });
  return `<section class="appendix">\n<h2>Cited lines</h2>\n${items.join("\n")}\n</section>`;
}
