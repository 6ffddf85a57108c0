/**
 * Evidence citations as Markdown. A citation shows the cited line's own text as the bundle has
 * it (`Report.quotes`, read back after diagnosis), and a computed value beside it when the
 * evidence states one (`limit 2147483648 B` next to the line `memory:  2Gi`), never in its place.
 * In the HTML report every `file:line` is a link to the appendix that quotes the line with its
 * context (`#q<n>` anchors, numbered in citation order by {@link Citations}).
 *
 * Sample: `{file: "dmesg.txt", line: 11, text: "memory: usage 2097152kB, limit 2097152kB, failcnt 1843"}`
 * with the quote `[2914601.180601] memory: usage 2097152kB, limit 2097152kB, failcnt 1843` →
 * `` `dmesg.txt:11` `[2914601.180601] memory: usage 2097152kB, limit 2097152kB, failcnt 1843` ``.
 */
import type { Quote } from "../model/incident.js";
import type { Evidence } from "../model/source.js";
import { UNKNOWN } from "../util/format.js";
import { singleLine } from "../util/text.js";
import { escapeMarkdown, inlineCode } from "./markdown-escape.js";

/** What is not a letter or digit: ignored when telling a quote from a restatement of it. */
const NOT_ALNUM = /[^\p{L}\p{N}]+/gu;

/** Citations of one report: quotes by `file:line`, and appendix anchors when linking (HTML). */
export class Citations {
  /** `file:line` → anchor number, in first-citation order. */
  readonly anchors = new Map<string, number>();

  constructor(
    private readonly quotes: Record<string, Quote>,
    private readonly link: boolean,
  ) {}

  /** The quote of a cited line, or undefined when the bundle could not be read back. */
  quote(file: string, line: number | undefined): Quote | undefined {
    return line === undefined ? undefined : this.quotes[`${file}:${line}`];
  }

  /**
   * A list item: `` `file:line` `the line` `` and ` — computed text` when the evidence text is not
   * the line itself. Without a quote, the evidence text stands (it is what the ingester read).
   */
  item(ev: Evidence): string {
    const ref = this.ref(ev.file, ev.line);
    const quote = this.quote(ev.file, ev.line);
    const claim = singleLine(ev.text);
    if (!quote) return claim === "" ? ref : `${ref} ${inlineCode(claim)}`;
    const shown = `${ref} ${inlineCode(quote.text)}`;
    return isSameText(quote.text, claim) ? shown : `${shown} — ${escapeMarkdown(claim)}`;
  }

  /** Comma-separated references for a table cell (each cites the line holding its value), or `—`. */
  refs(list: Evidence[], max = 3): string {
    if (list.length === 0) return UNKNOWN;
    const seen = new Set<string>();
    const unique = list.filter((e) => {
      const key = `${e.file}:${e.line}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    });
    const shown = unique.slice(0, max).map((ev) => this.ref(ev.file, ev.line, true));
    return unique.length > max ? `${shown.join(", ")} +${unique.length - max}` : shown.join(", ");
  }

  /** `` `file:line` `` (or `` `file` ``), as a link to its appendix entry in HTML. */
  ref(file: string, line: number | undefined | null, table = false): string {
    const code = inlineCode(line === undefined || line === null ? file : `${file}:${line}`, { table });
    if (!this.link || line === undefined || line === null || !this.quote(file, line)) return code;
    const key = `${file}:${line}`;
    let n = this.anchors.get(key);
    if (n === undefined) {
      n = this.anchors.size + 1;
      this.anchors.set(key, n);
    }
    return `[${code}](#q${n})`;
  }
}

/**
 * True when the evidence text says no more than the quoted line: the same letters and digits
 * (`JAVA_OPTS=-Xmx4g` restating `JAVA_OPTS:  -Xmx4g`), or a part of it (ingesters cut prefixes).
 */
function isSameText(quote: string, claim: string): boolean {
  const q = quote.replace(NOT_ALNUM, "");
  const c = claim.replace(NOT_ALNUM, "");
  return c === "" || q === c || (c.length >= 8 && q.includes(c));
}
