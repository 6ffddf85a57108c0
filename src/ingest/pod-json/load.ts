/**
 * Text → position-carrying trees for the `pod-json` ingester: JSON (with `json-reader.ts`, which
 * survives truncation), YAML with `---` documents (the `yaml` package v2, lines from its
 * `LineCounter`), and the repair of pasted fragments that do not parse as they are.
 *
 * Fragment repair (what issue threads and Lens copy-outs look like):
 * ```text
 *       status: 'True'                 ← tail of a `conditions` item, cut above
 *       lastTransitionTime: '2021-11-02T17:40:39Z'
 *     - type: PodScheduled
 *   hostIP: 10.59.29.80                ← first line that starts a parseable block: read from here
 *   containerStatuses:
 *     - name: manager
 * ```
 * 1. dedent every line by the indentation common to all of them;
 * 2. failing that, drop leading lines until the rest parses, starting only at a line that opens
 *    a key (`containerStatuses:`, `status:`, …), a list item or a JSON `{`/`[` at the smallest
 *    indentation of what follows, and only if what it yields is something the ingester reads.
 */
import type * as Yaml from "yaml";
import type { Document } from "yaml";
import { lineBatchesOf } from "../source.js";
import type { ArtifactSource } from "../types.js";
import { readJson, type JsonReadResult } from "./json-reader.js";
import { streamJson } from "./json-stream.js";
import type { Ctx, Node } from "./tree.js";
import { warn } from "./tree.js";
import { lazyRequire } from "../../util/lazy-require.js";

/** The yaml package, loaded by the first YAML read (JSON-only bundles never load it). */
const yaml = lazyRequire<typeof Yaml>("yaml");

/** One document read from the file; `repair` says how, when the text had to be repaired. */
export interface LoadedDoc {
  root: Node;
  /** E.g. `lines 1–11 do not parse (a fragment cut mid-structure); read from line 12`. */
  repair: string | null;
}

/** A YAML line that opens a mapping key: `containerStatuses:`, `"kind": Pod`, `status: 'True'`. */
const YAML_KEY_LINE = /^(?:[A-Z_][\w./-]*|"[^"]*"|'[^']*')[ \t]*:(?:[ \t]|$)/i;

/** A YAML block-sequence item: `- name: manager`, `-`. */
const YAML_ITEM_LINE = /^-(?:[ \t]|$)/;

/** The first non-blank character of the file. */
const NON_BLANK = /\S/;

/** Leading spaces of a line (YAML indentation never uses tabs). */
const INDENT = /^ */;

/** Blank or comment-only line. */
const BLANK_OR_COMMENT = /^\s*(?:#.*)?$/;

/**
 * At most this many characters are re-parsed while looking for a repair, and no attempt is made
 * on more (bounds the cost: YAML full of errors parses slowly, at a few hundred KB/s).
 */
const REPAIR_BUDGET_CHARS = 250_000;

/**
 * Alias expansions allowed per document, and nodes they may produce in all (Kubernetes output
 * has no aliases). Past either, an alias reads as null and a warning says so: one anchor of a
 * million items aliased a hundred times (a "billion laughs") would otherwise build 10⁸ nodes.
 * (yaml's own `maxAliasCount` guards only `toJS()`; this walks the AST, so it counts itself.)
 */
const MAX_ALIASES = 100;
const MAX_ALIAS_NODES = 10_000;

/**
 * Reads `text` into documents. `usable(root)` tells whether a root holds something the ingester
 * reads (a repair is accepted only then). Problems become warnings on `ctx`; never throws.
 */
export function loadDocuments(text: string, ctx: Ctx, usable: (root: Node) => boolean): LoadedDoc[] {
  const first = text.search(NON_BLANK);
  if (first < 0) return [];
  if (text[first] === "{" || text[first] === "[") {
    const json = readJson(text);
    if (!json.error) return json.values.map((root) => ({ root, repair: null }));
    // A JSON that fails may be YAML that starts with a flow collection; never worth a long line (see YAML_MAX_LINE_CHARS).
    if (!json.error.atEnd && yamlCost(text) === null && !hasLineOver(text, YAML_MAX_LINE_CHARS)) {
      const yaml = readYaml(text, 1);
      if (yaml.error === null && yaml.roots.some(usable)) return yaml.roots.map((root) => ({ root, repair: null }));
    }
    warnJsonError(ctx, json, json.values.length > 0 ? "; the values before that point are still read" : "");
    return json.values.map((root) => ({ root, repair: null }));
  }
  const tooBig = yamlCost(text);
  if (tooBig !== null) {
    warnYamlTooBig(ctx, tooBig);
    return [];
  }
  return loadYaml(cutLongLines(text, ctx), ctx, usable);
}

function loadYaml(text: string, ctx: Ctx, usable: (root: Node) => boolean): LoadedDoc[] {
  const yaml = readYaml(text, 1);
  if (yaml.aliasStop !== null) {
    warn(
      ctx,
      "alias-limit",
      `YAML aliases expand to more than ${MAX_ALIASES} aliases or ${MAX_ALIAS_NODES} nodes — expected Kubernetes output, which has no aliases — the aliases from line ${yaml.aliasStop} on read as null`,
      yaml.aliasStop,
    );
  }
  if (yaml.error === null) return yaml.roots.map((root) => ({ root, repair: null }));
  if (yaml.docCount > 1 && yaml.roots.length > 0) {
    warn(
      ctx,
      "invalid-yaml",
      `YAML document with a syntax error at line ${yaml.error.line} skipped: ${yaml.error.message}; the other documents are read`,
      yaml.error.line,
    );
    return yaml.roots.map((root) => ({ root, repair: null }));
  }
  const repaired = repair(text, usable);
  if (repaired) return repaired;
  warn(
    ctx,
    "invalid-yaml",
    `YAML syntax error at line ${yaml.error.line}: ${yaml.error.message} — expected a Pod, List, Event or a status fragment — no part of the file parses`,
    yaml.error.line,
  );
  return [];
}

/**
 * Longest YAML line read whole. Kubernetes YAML lines are far shorter (a long annotation such as
 * last-applied-configuration is a block scalar of JSON, about as long as the object), and the
 * yaml package's error recovery costs about 9 µs per character of a long line that does not
 * parse (a 1 MB line: 9 s).
 */
const YAML_MAX_LINE_CHARS = 64 * 1024;

/** `text` with every line longer than {@link YAML_MAX_LINE_CHARS} cut there, each cut a warning naming its line. */
function cutLongLines(text: string, ctx: Ctx): string {
  let out = "";
  let from = 0;
  let line = 1;
  for (let start = 0; start <= text.length; line++) {
    const nl = text.indexOf("\n", start);
    const end = nl === -1 ? text.length : nl;
    if (end - start > YAML_MAX_LINE_CHARS) {
      warn(
        ctx,
        "line-cut",
        `line of ${end - start} characters cut to its first ${YAML_MAX_LINE_CHARS} — expected YAML lines of Kubernetes objects, far shorter — what follows on that line is not read`,
        line,
      );
      out += text.slice(from, start + YAML_MAX_LINE_CHARS);
      from = end;
    }
    if (nl === -1) break;
    start = nl + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** True when a line of `text` is longer than `max` characters. */
function hasLineOver(text: string, max: number): boolean {
  for (let start = 0; start < text.length;) {
    const nl = text.indexOf("\n", start);
    const end = nl === -1 ? text.length : nl;
    if (end - start > max) return true;
    start = end + 1;
  }
  return false;
}

function warnYamlTooBig(ctx: Ctx, what: string): void {
  warn(
    ctx,
    "yaml-too-big",
    `YAML not read: ${what} — expected at most ${YAML_MAX_CHARS} characters and ${YAML_MAX_NODES} lines and flow items (the YAML reader needs about 70 bytes of memory per character) — save it as JSON instead (kubectl get … -o json), which is read in a stream`,
    1,
  );
}

/** JSON longer than this (characters) is read item by item (`json-stream.ts`), not as one tree. */
const STREAM_AFTER_CHARS = 4 * 1024 * 1024;

/** A document of a streamed JSON file: a list item (with its list's kind when known) or a top-level value. */
interface StreamedDoc {
  root: Node;
  /** True for an element of `items` or of a top-level array. */
  item: boolean;
  /** The `kind` of the list holding an item when it came before `items` (`PodList`), else null. */
  listKind: string | null;
}

/** Most syntax errors of a streamed file warned one by one; the rest are counted in one warning. */
const MAX_STREAM_ERRORS = 20;

/**
 * Whether `source` is longer than `STREAM_AFTER_CHARS` (reading no further than that), and its
 * first non-blank character. Small files are read whole by `loadDocuments`.
 */
export async function sizeUp(source: ArtifactSource): Promise<{ large: boolean; first: string | null }> {
  let chars = 0;
  let first: string | null = null;
  for await (const batch of lineBatchesOf(source)) {
    for (const l of batch) {
      if (first === null) {
        const at = l.text.search(NON_BLANK);
        if (at >= 0) first = l.text[at]!;
      }
      chars += l.text.length + 1;
    }
    if (chars > STREAM_AFTER_CHARS) return { large: true, first };
  }
  return { large: false, first };
}

/**
 * A large JSON file (see `sizeUp`) as a stream of documents, memory bounded by one list item.
 * Large YAML is not read (`yaml-too-big`); syntax errors and truncation become warnings on `ctx`.
 */
export async function* streamDocuments(
  source: ArtifactSource,
  first: string | null,
  ctx: Ctx,
): AsyncGenerator<StreamedDoc> {
  if (first !== "{" && first !== "[") {
    warnYamlTooBig(ctx, `more than ${STREAM_AFTER_CHARS} characters`);
    return;
  }
  let errors = 0;
  for await (const piece of streamJson(lineBatchesOf(source))) {
    if (piece.read.error) {
      if (errors++ < MAX_STREAM_ERRORS)
        warnJsonError(ctx, piece.read, piece.role === "item" ? "; the other items are still read" : "");
    }
    for (const root of piece.read.values) yield { root, item: piece.role === "item", listKind: piece.listKind };
  }
  if (errors > MAX_STREAM_ERRORS)
    warn(
      ctx,
      "invalid-json",
      `${errors - MAX_STREAM_ERRORS} more list items with JSON errors — expected valid JSON — not listed one by one`,
    );
}

/** The warning for a JSON read that stopped at an error; `recovered` is appended. */
function warnJsonError(ctx: Ctx, json: JsonReadResult, recovered: string): void {
  const error = json.error!;
  if (error.atEnd) {
    warn(
      ctx,
      "truncated",
      `JSON ends early at line ${error.line} (${error.message}) — expected the complete document — received a file cut short${recovered}`,
      error.line,
    );
  } else {
    warn(ctx, "invalid-json", `JSON syntax error at line ${error.line}: ${error.message}${recovered}`, error.line);
  }
}

/** Largest YAML text parsed (4 MiB: about 12 s and 250 MiB with the yaml package). */
const YAML_MAX_CHARS = 4 * 1024 * 1024;

/** Most lines plus flow items (`,`, `[`, `{`) in a YAML text parsed: each becomes at least one node. */
const YAML_MAX_NODES = 200_000;

/** Why `text` is too big for the YAML reader (see `YAML_MAX_CHARS`, `YAML_MAX_NODES`), or null. */
function yamlCost(text: string): string | null {
  if (text.length > YAML_MAX_CHARS) return `${text.length} characters`;
  let nodes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 44 || c === 91 || c === 123) nodes++;
  }
  return nodes > YAML_MAX_NODES ? `${nodes} lines and flow items` : null;
}

interface YamlRead {
  /** Roots of the documents that parsed cleanly (empty documents skipped). */
  roots: Node[];
  /** Line of the first alias left unexpanded (`MAX_ALIASES`, `MAX_ALIAS_NODES`), else null. */
  aliasStop: number | null;
  /** First error among all documents, with its file line. */
  error: { line: number; message: string } | null;
  docCount: number;
}

/** Parses `text` (whose first line is file line `firstLine`) as a YAML stream. */
function readYaml(text: string, firstLine: number): YamlRead {
  const { LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  const out: YamlRead = { roots: [], aliasStop: null, error: null, docCount: 0 };
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  } catch (err) {
    // The yaml parser recurses once per repeated `key: value` on one line: a megabyte line overflows the stack.
    if (!(err instanceof RangeError)) throw err;
    out.error = { line: firstLine, message: `the YAML parser gave up (${(err as Error).message})` };
    return out;
  }
  if (!Array.isArray(docs)) return out;
  out.docCount = docs.length;
  const lineAt = (offset: number) => lineCounter.linePos(offset).line + firstLine - 1;
  const lastContent = Math.max(0, text.trimEnd().length - 1);
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      out.error ??= { line: lineAt(Math.min(err.pos[0], lastContent)), message: err.message.split("\n")[0]! };
      continue;
    }
    if (doc.contents === null) continue;
    const conv: Conv = { doc, lineAt, aliases: 0, aliasNodes: 0, inAlias: null, aliasStop: null };
    out.roots.push(toNode(doc.contents, conv, 0, 0));
    out.aliasStop ??= conv.aliasStop;
  }
  return out;
}

interface Conv {
  doc: Document.Parsed;
  lineAt: (offset: number) => number;
  aliases: number;
  /** Nodes built while expanding aliases. */
  aliasNodes: number;
  /** Line of the alias being expanded (the outermost), null outside any. */
  inAlias: number | null;
  aliasStop: number | null;
}

/** yaml AST node → `Node`; `at` is the offset used when the node carries no range. */
function toNode(n: unknown, conv: Conv, at: number, depth: number): Node {
  const range = (n as { range?: [number, number, number] } | null)?.range;
  const start = range ? range[0] : at;
  const line = conv.lineAt(start);
  const endLine = range ? conv.lineAt(Math.max(start, range[1] - 1)) : line;
  if (depth > 256) return { type: "scalar", value: null, line, endLine };
  if (conv.inAlias !== null && ++conv.aliasNodes > MAX_ALIAS_NODES) {
    conv.aliasStop ??= conv.inAlias;
    return { type: "scalar", value: null, line, endLine };
  }
  const { isAlias, isMap, isScalar, isSeq } = yaml();
  if (isAlias(n)) {
    if (++conv.aliases > MAX_ALIASES || conv.aliasNodes > MAX_ALIAS_NODES) {
      conv.aliasStop ??= line;
      return { type: "scalar", value: null, line, endLine };
    }
    const outer = conv.inAlias;
    conv.inAlias ??= line;
    const target = n.resolve(conv.doc);
    const node = { ...toNode(target, conv, start, depth + 1), line, endLine };
    conv.inAlias = outer;
    return node;
  }
  if (isMap(n)) {
    const entries = new Map<string, Node>();
    for (const pair of n.items) {
      if (!isScalar(pair.key) || pair.key.value === null || pair.key.value === undefined) continue;
      const keyStart = pair.key.range?.[0] ?? start;
      const value = toNode(pair.value, conv, keyStart, depth + 1);
      value.line = conv.lineAt(keyStart);
      entries.set(String(pair.key.value), value);
    }
    return { type: "map", entries, line, endLine };
  }
  if (isSeq(n))
    return { type: "seq", items: n.items.map((item) => toNode(item, conv, start, depth + 1)), line, endLine };
  if (isScalar(n)) {
    const v = n.value;
    const value =
      v === null || v === undefined
        ? null
        : typeof v === "string" || typeof v === "number" || typeof v === "boolean"
          ? v
          : String(v);
    return { type: "scalar", value, line, endLine };
  }
  return { type: "scalar", value: null, line, endLine: line };
}

/** Tries dedenting, then cutting leading lines; the first parse that yields a usable root wins. */
function repair(text: string, usable: (root: Node) => boolean): LoadedDoc[] | null {
  const lines = text.split("\n");
  const indents = lines.map((l) => (BLANK_OR_COMMENT.test(l) ? Infinity : INDENT.exec(l)![0].length));
  const suffixMin = new Array<number>(lines.length + 1).fill(Infinity);
  for (let i = lines.length - 1; i >= 0; i--) suffixMin[i] = Math.min(indents[i]!, suffixMin[i + 1]!);
  const common = suffixMin[0]!;
  let budget = REPAIR_BUDGET_CHARS;
  if (common > 0 && common !== Infinity && text.length <= budget) {
    budget -= text.length;
    const docs = attempt(lines, 0, common, usable);
    if (docs) return withRepair(docs, `read after removing the ${common}-space indentation common to every line`);
  }
  let remaining = text.length;
  for (let i = 1; i < lines.length; i++) {
    remaining -= lines[i - 1]!.length + 1;
    const indent = indents[i]!;
    if (indent === Infinity || indent !== suffixMin[i]) continue;
    const body = lines[i]!.slice(indent);
    const json = indent === 0 && (body.startsWith("{") || body.startsWith("["));
    if (!json && !YAML_KEY_LINE.test(body) && !YAML_ITEM_LINE.test(body)) continue;
    if (remaining > budget) continue;
    budget -= remaining;
    const docs = attempt(lines, i, indent, usable);
    if (docs) {
      const skipped = i === 1 ? "line 1 does" : `lines 1–${i} do`;
      return withRepair(
        docs,
        `${skipped} not parse (a fragment cut in the middle of a structure); read from line ${i + 1} (\`${body.trim().slice(0, 60)}\`)`,
      );
    }
  }
  return null;
}

/** Parses lines `from`.. dedented by `indent`; the roots when clean and usable, else null. */
function attempt(lines: string[], from: number, indent: number, usable: (root: Node) => boolean): Node[] | null {
  const slice = lines.slice(from).map((l) => l.slice(Math.min(indent, INDENT.exec(l)![0].length)));
  const text = slice.join("\n");
  const firstChar = text.trimStart()[0];
  if (firstChar === "{" || firstChar === "[") {
    const json = readJson(text, from + 1);
    if (!json.error && json.values.some(usable)) return json.values;
  }
  const yaml = readYaml(text, from + 1);
  return yaml.error === null && yaml.roots.some(usable) ? yaml.roots : null;
}

function withRepair(roots: Node[], repair: string): LoadedDoc[] {
  return roots.map((root) => ({ root, repair }));
}
