/**
 * JSON/YAML documents for the kinds that read Kubernetes-style or tool JSON (`vpa`,
 * `docker-inspect`, `prometheus`, Go memstats): the text of the artifact with over-long lines
 * blanked (a YAML line of a megabyte is never part of these objects and costs the YAML parser
 * seconds), then the position-carrying trees of `pod-json/load.ts`. Line numbers are the file's.
 */
import { warning } from "../../model/source.js";
import { loadDocuments, type LoadedDoc } from "../pod-json/load.js";
import type { Ctx, Node } from "../pod-json/tree.js";
import { HEAD_BYTES, looksBinary } from "../source.js";
import type { ArtifactSource } from "../types.js";

/** Lines longer than this are blanked before parsing (compact `jq -c` output of one object stays far below). */
const MAX_DOCUMENT_LINE = 256 * 1024;

/**
 * Reads `source` into documents whose roots `usable` accepts (see `loadDocuments`). Binary
 * content and over-long lines become `<ctx.kind>/…` warnings; never throws.
 */
export async function readDocuments(
  source: ArtifactSource,
  ctx: Ctx,
  usable: (root: Node) => boolean,
): Promise<LoadedDoc[]> {
  const kind = ctx.kind ?? "pod-json";
  const text = await source.text();
  if (looksBinary(text.slice(0, HEAD_BYTES))) {
    ctx.diagnostics.push(
      warning(`${kind}/binary`, "file is binary — expected JSON or YAML text — received NUL/control bytes", {
        file: ctx.file,
        line: 1,
      }),
    );
    return [];
  }
  let cleaned = text;
  if (text.length > MAX_DOCUMENT_LINE) {
    const lines = text.split("\n");
    lines.forEach((l, i) => {
      if (l.length <= MAX_DOCUMENT_LINE) return;
      ctx.diagnostics.push(
        warning(
          `${kind}/line-too-long`,
          `line is ${l.length} characters long — expected lines under ${MAX_DOCUMENT_LINE} — received an over-long line, skipped`,
          { file: ctx.file, line: i + 1 },
        ),
      );
      lines[i] = "";
    });
    cleaned = lines.join("\n");
  }
  return loadDocuments(cleaned, ctx, usable);
}
