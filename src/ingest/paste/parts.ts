/**
 * Pastes: a file as people paste captures into tickets, chat, mail and blogs, turned into the
 * artifacts it holds. `readPaste` cleans it line by line (`paste/clean.ts`: prompts and the
 * commands they carry, Markdown fences, mail quote markers, `grep -n` prefixes and `--`
 * separators, elisions such as `......` or `[snip]`), cuts it into sections when it holds several
 * artifacts (`paste/sections.ts`), and gives each section as a source of its own whose lines keep
 * the file's numbers. `applyPasteHint` then names what the output left unnamed from the command
 * pasted above it (`kubectl describe pod X -n Y`).
 *
 * Sample input (a ticket comment; the describe is read as describe, the dmesg as a kernel log):
 * ```text
 * [root@master ~]$ kubectl describe pod api-7d9f -n shop
 *     Last State:     Terminated
 *       Reason:       OOMKilled
 * ......
 * $ dmesg -T | grep -i -A3 oom
 * [Tue Jun 20 03:23:46 2026] Memory cgroup out of memory: Killed process 4242 (java) …
 * ```
 */
import { NOT_RECOGNISED, type DiscoveredFile } from "../../discover.js";
import type { FactSet } from "../../model/facts.js";
import { detectIngester, ingesters } from "../index.js";
import { warning, type Diagnostic } from "../../model/source.js";
import { cleanPaste } from "./clean.js";
import { splitSections } from "./sections.js";
import type { CommandHint } from "../shared/command-line.js";
import { HEAD_BYTES, sourceFromString } from "../source.js";
import type { ArtifactSource } from "../types.js";

/** What the paste says about one of its sections, beyond its text. */
export interface PasteInfo {
  /** The command pasted above the section (its line and what it names). */
  command: { line: number; hint: CommandHint } | null;
  /** Warnings about the paste: cuts, several artifacts in one file. */
  notes: Diagnostic[];
}

/** One artifact of a paste: its source (file path and line numbers kept) and what was sniffed. */
interface PastePart {
  source: ArtifactSource;
  /** The kind its paragraphs looked like (null: none recognised). */
  kind: string | null;
  paste: PasteInfo;
}

/**
 * A file bigger than discover reads whole is still read as a paste when its head looks like one
 * (a prompt, a fence, quote markers) and it is at most this big (a long ticket thread); a
 * gigabyte journal is never read whole for it.
 */
const MAX_STREAMED_PASTE_BYTES = 16 * 1024 * 1024;

/** True when a head shows a paste's marks: a prompt or command line, a fence, a cut, or markers. */
function looksPasted(head: string): boolean {
  const p = cleanPaste(head);
  return p.commands.length > 0 || p.cuts.length > 0 || p.cleaned.length > 0 || p.kinds.includes("fence");
}

/** A discovered file, or a part of a pasted one with what the paste says about it. */
export type PastedFile = DiscoveredFile & { paste?: PasteInfo };

/**
 * Reads every file discover held whole (`whole`), recognised or not, as a paste: a paste becomes
 * one entry per part, each with the ingester its text sniffs as and the file's path and line
 * numbers; any other file is returned as it is. Empty, binary and skipped files are left alone.
 */
export async function expandPastes(files: DiscoveredFile[]): Promise<PastedFile[]> {
  const out: PastedFile[] = [];
  for (const file of files) {
    const path = file.source.path;
    const recognised = file.ingester !== null || file.skipReason === NOT_RECOGNISED;
    const readable =
      recognised &&
      (file.whole === true ||
        (file.size !== undefined && file.size <= MAX_STREAMED_PASTE_BYTES && looksPasted(file.source.head)));
    const parts = readable
      ? readPaste(
          path,
          await file.source.text(),
          (text) => detectIngester(text.slice(0, HEAD_BYTES), path)?.kind ?? null,
        )
      : null;
    if (!parts) {
      out.push(file);
      continue;
    }
    for (const p of parts) {
      const ingester = detectIngester(p.source.head, path) ?? ingesters.find((i) => i.kind === p.kind) ?? null;
      out.push({ ...file, source: p.source, ingester, skipReason: ingester ? null : NOT_RECOGNISED, paste: p.paste });
    }
  }
  return out;
}

/**
 * Kinds whose ingester reads the command line above its output itself (`kubectl get pods -n shop`
 * gives its namespace, `cat /proc/4242/status` its pid, `-o jsonpath='{.status.reason}'` what its
 * value is): their section keeps that line.
 */
const READS_OWN_COMMAND = new Set([
  "kubectl-get-pods",
  "kubectl-get-events",
  "kubectl-top",
  "proc-status",
  "kubectl-jsonpath",
]);

/** At most this many cut warnings per file; the rest are counted in the last one. */
const MAX_CUT_NOTES = 20;

/**
 * Reads `text` (the whole file, decoded) as a paste. Returns null when it shows nothing of a paste
 * (no prompt, fence, cut or marker, one artifact): the file is then read as it is. `sniff` names
 * the kind a piece of text looks like.
 * @internal exported for its tests (not the public API)
 */
export function readPaste(path: string, text: string, sniff: (text: string) => string | null): PastePart[] | null {
  const paste = cleanPaste(text);
  const plain =
    paste.commands.length === 0 &&
    paste.cuts.length === 0 &&
    paste.cleaned.length === 0 &&
    !paste.kinds.includes("fence");
  if (plain && !mayHoldSeveral(paste.kinds)) return null;
  const all = splitSections(paste, sniff);
  if (all.length === 0 || (plain && all.length === 1)) return null;
  // Text no kind claims between artifacts (a ticket's prose) is named in a note, not read.
  const sections = all.some((s) => s.kind !== null) ? all.filter((s) => s.kind !== null) : all;
  const notes = [...cutNotes(path, paste.cuts)];
  if (all.length > 1) {
    const parts = all
      .map((s) => `lines ${s.start}–${s.end} ${s.kind === null ? "not recognised, not read" : `as ${s.kind}`}`)
      .join(", ");
    notes.unshift(
      warning("paste/sections", `the file holds ${all.length} pasted parts, each read on its own: ${parts}`, {
        file: path,
        line: all[0]!.start,
      }),
    );
  }
  if (paste.cleaned.length > 0)
    notes.push(
      warning("paste/cleaned", `read as a paste: ${paste.cleaned.join(", ")} removed before reading`, { file: path }),
    );
  return sections.map((s, i) => ({
    source: sourceFromString(
      path,
      s.command && s.kind !== null && READS_OWN_COMMAND.has(s.kind)
        ? withLine(s.text, s.command.line, `$ ${s.command.hint.command}`)
        : s.text,
    ),
    kind: s.kind,
    paste: { command: s.command, notes: i === 0 ? notes : [] },
  }));
}

/** `text` with its line `line` (1-based, blank in it) set to `value`. */
function withLine(text: string, line: number, value: string): string {
  const lines = text.split("\n");
  lines[line - 1] = value;
  return lines.join("\n");
}

/** Several artifacts need a blank line between paragraphs at least. */
function mayHoldSeveral(kinds: string[]): boolean {
  return kinds.includes("blank");
}

function cutNotes(path: string, cuts: { line: number; text: string }[]): Diagnostic[] {
  const notes = cuts
    .slice(0, MAX_CUT_NOTES)
    .map((c) =>
      warning(
        "paste/cut",
        `lines were cut out here (\`${c.text.slice(0, 40)}\`): what they held is not in the bundle and is reported as missing, not guessed`,
        { file: path, line: c.line },
      ),
    );
  if (cuts.length > MAX_CUT_NOTES)
    notes.push(warning("paste/cut", `${cuts.length - MAX_CUT_NOTES} more cuts not listed`, { file: path }));
  return notes;
}

/** Pod resources as kubectl spells them. */
const POD_RESOURCE = /^(?:po|pods?)$/i;

/**
 * Names what the output of a pasted command left unnamed: `kubectl describe pod X -n Y` (or
 * `get pod X -o yaml`, `get pod/X`) gives pods without a name the name X, pods without a
 * namespace the namespace Y, and `-c C` an unnamed container the name C. Notes of the paste join
 * the facts' diagnostics. Mutates and returns `facts`.
 */
export function applyPasteHint(facts: FactSet, paste: PasteInfo): FactSet {
  facts.diagnostics.push(...paste.notes);
  const hint = paste.command?.hint;
  if (!hint || (hint.resource !== null && !POD_RESOURCE.test(hint.resource))) return facts;
  for (const pod of facts.pods) {
    if (pod.platform === "docker") continue;
    if (pod.name === null && hint.name !== null) pod.name = hint.name;
    if (pod.namespace === null && hint.namespace !== null && (hint.name === null || pod.name === hint.name))
      pod.namespace = hint.namespace;
    if (hint.container !== null) for (const c of pod.containers) if (c.name === "") c.name = hint.container;
  }
  return facts;
}
