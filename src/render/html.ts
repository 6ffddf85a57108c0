/**
 * Markdown → HTML for the `--format html` report: the same Markdown the `md` format prints,
 * rendered with marked (GFM) inside one self-contained page (`templates/report.html.hbs`:
 * inline CSS, no script, no external resources, CSP `default-src 'none'`).
 *
 * Artifact text is already escaped by `markdown-escape.ts`; this layer is the second
 * fence, so that nothing in the Markdown, ours or not, can become active HTML:
 * - raw HTML (block or inline) is printed as text: `<script>` → `&lt;script&gt;`;
 * - links keep their `<a>` only for `http:`, `https:`, `mailto:` and `#anchor` targets,
 *   anything else (`javascript:`, `data:`, `vbscript:`, relative paths) prints its text only;
 * - images render as `<img>` only for inline `data:image/(png|gif|jpeg|webp)` sources, else
 *   as their alt text, so the page never loads a remote resource.
 *
 * Sample: `[x](javascript:alert(1)) <img src=x onerror=alert(1)>` →
 * `<p>x &lt;img src=x onerror=alert(1)&gt;</p>`.
 */
import { Marked, type Tokens } from "marked";
import { escapeHtml } from "./html-escape.js";

/** Link targets that may stay clickable: web, mail, and in-page anchors. */
const SAFE_HREF = /^(?:https?:\/\/|mailto:|#)/i;

/** Inline images that may render: raster data URLs only (no remote load, no SVG). */
const SAFE_IMAGE_SRC = /^data:image\/(?:png|gif|jpeg|webp);base64,[A-Z0-9+/=]+$/i;

/** Whitespace and control characters a browser ignores inside a URL scheme (`java\tscript:`). */
const URL_IGNORED_CHARS = /[\u0000-\u0020\u007f-\u009f]/g;

/** `%25` left by encodeURI on an already percent-encoded URL (marked's cleanUrl does the same). */
const DOUBLE_ENCODED_PERCENT = /%25/g;

/**
 * The href to emit for a link, or null when the link must print as plain text.
 * Accepts only `http(s)://`, `mailto:` and `#anchor` (checked after removing the
 * whitespace/control characters browsers skip), then percent-encodes as marked does.
 */
function safeHref(href: string): string | null {
  const compact = href.replace(URL_IGNORED_CHARS, "");
  if (!SAFE_HREF.test(compact)) return null;
  try {
    return encodeURI(compact).replace(DOUBLE_ENCODED_PERCENT, "%");
  } catch {
    return null;
  }
}

/** Separators after which a long path, memcg or flag list may wrap (`/`, `_`, `,`, `=`, `.`, `:`). */
const SEPARATOR = /([/_,=.:])(?=\S)/g;

/** Tokens at least this long may wrap at their separators; shorter ones (`dmesg.txt:11`) never wrap. */
const LONG_TOKEN = /\S{24,}/g;

/**
 * Escaped code text with `<wbr>` after the separators of long tokens, so a memcg path or a
 * container ID wraps at its separators in a narrow column instead of in the middle of an id.
 * Entities (`&amp;`, `&#39;`) hold none of these characters.
 */
function softBreaks(escaped: string): string {
  return escaped.replace(LONG_TOKEN, (token) => token.replace(SEPARATOR, "$1<wbr>"));
}

/** A marked instance configured for inert output; see the file header. */
const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      const text = escapeHtml(token.text);
      return token.block ? `<p>${text}</p>\n` : text;
    },
    text(token: Tokens.Text | Tokens.Escape): string | false {
      // marked passes text after a raw <script>/<pre> tag through unescaped
      // (`escaped: true`); since we print those tags as text, escape their content too.
      if (token.type === "text" && token.escaped && !token.tokens) return escapeHtml(token.text);
      return false;
    },
    codespan(token: Tokens.Codespan): string {
      // A short id (`describe-pod.txt:33`, `node-overcommit`) never wraps, not even at its hyphens.
      const short = token.text.length < 24 && !/\s/.test(token.text);
      return `<code${short ? ' class="nb"' : ""}>${softBreaks(escapeHtml(token.text))}</code>`;
    },
    link(token: Tokens.Link): string {
      const inner = this.parser.parseInline(token.tokens);
      const href = safeHref(token.href);
      if (href === null) return inner;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
      return `<a href="${escapeHtml(href)}"${title} rel="noopener noreferrer">${inner}</a>`;
    },
    image(token: Tokens.Image): string {
      const alt = token.tokens ? this.parser.parseInline(token.tokens, this.parser.textRenderer) : token.text;
      const src = token.href.replace(URL_IGNORED_CHARS, "");
      if (!SAFE_IMAGE_SRC.test(src)) return escapeHtml(alt);
      return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
    },
  },
});

/**
 * Renders report Markdown to an HTML fragment (GFM tables, fenced code) with the
 * safety rules of the file header. Synchronous; never throws on odd Markdown.
 */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.split("\n");
  const table = longTable(lines);
  if (table === null) return marked.parse(markdown, { async: false });
  const [start, end] = table;
  const before = lines.slice(0, start).join("\n");
  const after = lines.slice(end).join("\n");
  return `${before ? markdownToHtml(before) : ""}${tableHtml(lines.slice(start, end))}${after ? markdownToHtml(after) : ""}`;
}

/**
 * Body rows of a table that one marked call renders: marked holds the tokens of a whole table at
 * once, and the overview of 10,000 incidents (10,000 rows, 1 MB of Markdown) made ~70 MB of them.
 */
const TABLE_ROWS_AT_ONCE = 500;

/** A GFM delimiter row: `| ---: | --- |`. */
const DELIMITER_ROW = /^\|(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*$/;

/**
 * `[start, end)` lines of the first table with more than {@link TABLE_ROWS_AT_ONCE} body rows that
 * stands alone (a blank line or the text's edge on each side, every line starting with `|`), or null.
 */
function longTable(lines: string[]): [number, number] | null {
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.startsWith("|") || !DELIMITER_ROW.test(lines[i + 1]!) || (i > 0 && lines[i - 1] !== "")) continue;
    let end = i + 2;
    while (end < lines.length && lines[end]!.startsWith("|")) end++;
    if (end - i - 2 > TABLE_ROWS_AT_ONCE && (end === lines.length || lines[end] === "")) return [i, end];
    i = end;
  }
  return null;
}

/**
 * marked's HTML of a table (`lines`: header, delimiter row, body rows), rendered
 * {@link TABLE_ROWS_AT_ONCE} body rows at a time under the same header and joined: marked prints
 * `<table>\n<thead>\n…</thead>\n<tbody>` + one `<tr>` per row + `</tbody></table>\n`.
 */
function tableHtml(lines: string[]): string {
  const [header, delimiter] = lines as [string, string];
  const OPEN = "<tbody>";
  const CLOSE = "</tbody></table>\n";
  let html = "";
  for (let at = 2; at < lines.length; at += TABLE_ROWS_AT_ONCE) {
    const part = marked.parse([header, delimiter, ...lines.slice(at, at + TABLE_ROWS_AT_ONCE)].join("\n"), {
      async: false,
    });
    const body = part.indexOf(OPEN) + OPEN.length;
    html += at === 2 ? part.slice(0, body) : "";
    html += part.slice(body, part.length - CLOSE.length);
  }
  return html + CLOSE;
}
