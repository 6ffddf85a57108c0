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
  return marked.parse(markdown, { async: false });
}
