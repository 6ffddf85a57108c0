/**
 * HTML escaping for text and attribute values, shared by the Markdown → HTML renderer and the
 * trusted fragments the report builds itself (appendix, callout, `<details>`).
 * `escapeHtml('<a href="x">')` → `&lt;a href=&quot;x&quot;&gt;`.
 */

/** Characters that must not appear raw in HTML text or attribute values. */
const HTML_SPECIAL = /[&<>"']/g;

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes `& < > " '` for HTML text and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(HTML_SPECIAL, (c) => HTML_ENTITIES[c] ?? c);
}
