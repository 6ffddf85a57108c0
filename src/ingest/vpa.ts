/**
 * vpa: a VerticalPodAutoscaler as `kubectl get vpa NAME -o yaml|json` prints it
 * (`autoscaling.k8s.io/v1`, kubernetes/autoscaler `vertical-pod-autoscaler/pkg/apis/autoscaling.k8s.io/v1/types.go`):
 * its `spec.targetRef`, `spec.updatePolicy.updateMode`, the memory bounds of
 * `spec.resourcePolicy.containerPolicies[]` and, per container, the memory of
 * `status.recommendation.containerRecommendations[]` (`target`, `lowerBound`, `upperBound`,
 * `uncappedTarget`), in bytes. Also a `VerticalPodAutoscalerList` / `List`, several documents,
 * and a fragment holding only the `recommendation` (`-o jsonpath='{.status.recommendation}'`).
 * The recommender prints memory as plain bytes in quotes (`"1503238553"`) or as a quantity (`1434Mi`).
 *
 * Sample input (VPA 1.x, `kubectl get vpa ledger-api-vpa -o yaml`):
 * ```text
 * apiVersion: autoscaling.k8s.io/v1
 * kind: VerticalPodAutoscaler
 * metadata:
 *   name: ledger-api-vpa
 *   namespace: ledger
 * spec:
 *   targetRef:
 *     apiVersion: apps/v1
 *     kind: Deployment
 *     name: ledger-api
 *   updatePolicy:
 *     updateMode: "Off"
 * status:
 *   recommendation:
 *     containerRecommendations:
 *     - containerName: ledger-api
 *       lowerBound:
 *         memory: "1161530055"
 *       target:
 *         memory: "1503238553"
 *       upperBound:
 *         memory: "2254857830"
 * ```
 */
import { emptyFacts, type FactSet, type VpaContainerRecommendation, type VpaFact } from "../model/facts.js";
import { parseQuantity } from "../model/units.js";
import { child, describeNode, has, items, str, warn, type Ctx, type Node } from "./pod-json/tree.js";
import { readDocuments } from "./shared/documents.js";
import { looksBinary } from "./source.js";
import type { ArtifactSource, Ingester } from "./types.js";

/** `"kind": "VerticalPodAutoscaler"` / `kind: VerticalPodAutoscaler` (and its List). */
const VPA_KIND = /(?:"kind"[ \t]*:[ \t]*"|^[ \t]*(?:-[ \t]+)?kind:[ \t]*["']?)VerticalPodAutoscaler(?:List)?\b/m;

/** The recommendation's own key, for fragments without `kind`. */
const RECOMMENDATION_KEY = /"containerRecommendations"\s*:|^[ \t]*containerRecommendations:/m;

/** The bounds a recommendation carries, as the API spells them. */
const BOUNDS = ["target", "lowerBound", "upperBound", "uncappedTarget"] as const;

/** Lists are followed this deep. */
const MAX_DEPTH = 4;

export const vpa: Ingester = {
  kind: "vpa",
  description: "VerticalPodAutoscaler objects: kubectl get vpa -o yaml|json (target, lower/upper bound per container)",

  sniff(head: string): boolean {
    return !looksBinary(head) && (VPA_KIND.test(head) || RECOMMENDATION_KEY.test(head));
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    const ctx: Ctx = { file: source.path, diagnostics: facts.diagnostics, kind: "vpa" };
    for (const doc of await readDocuments(source, ctx, (root) => findVpas(root, 0).length > 0)) {
      for (const node of findVpas(doc.root, 0)) {
        const fact = readVpa(node, ctx);
        if (fact.containers.length === 0) {
          warn(
            ctx,
            "no-recommendation",
            `VerticalPodAutoscaler ${fact.name ?? "(unnamed)"} has no memory recommendation — expected status.recommendation.containerRecommendations[] with memory — received ${describeNode(child(node, "status") ?? node)}`,
            node.line,
          );
        }
        facts.vpas.push(fact);
      }
    }
    if (facts.vpas.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "vpa/no-vpa",
        message:
          "no VerticalPodAutoscaler read — expected `kind: VerticalPodAutoscaler` with status.recommendation — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

/** The VPA objects (or bare recommendations) in a document: the root, list items, nested lists. */
function findVpas(node: Node, depth: number): Node[] {
  if (depth > MAX_DEPTH) return [];
  if (node.type === "seq") return node.items.flatMap((i) => findVpas(i, depth + 1));
  if (node.type !== "map") return [];
  const kind = str(child(node, "kind"));
  if (
    kind === "VerticalPodAutoscaler" ||
    has(node, "containerRecommendations") ||
    has(child(node, "status"), "recommendation") ||
    has(node, "recommendation")
  )
    return [node];
  if (has(node, "items")) return findVpas(child(node, "items")!, depth + 1);
  return [];
}

function readVpa(node: Node, ctx: Ctx): VpaFact {
  const target = child(node, "spec", "targetRef");
  const recommendation = child(node, "status", "recommendation") ?? child(node, "recommendation") ?? node;
  const policies = items(child(node, "spec", "resourcePolicy", "containerPolicies"));
  const containers: VpaContainerRecommendation[] = [];
  for (const rec of items(child(recommendation, "containerRecommendations"))) {
    const name = str(child(rec, "containerName"));
    if (name === null) {
      warn(
        ctx,
        "no-container-name",
        `a containerRecommendations item has no containerName — expected \`containerName: <name>\` — received ${describeNode(rec)}; skipped`,
        rec.line,
      );
      continue;
    }
    const policy =
      policies.find((p) => str(child(p, "containerName")) === name) ??
      policies.find((p) => str(child(p, "containerName")) === "*");
    const out: VpaContainerRecommendation = {
      container: name,
      targetBytes: null,
      lowerBoundBytes: null,
      upperBoundBytes: null,
      uncappedTargetBytes: null,
      minAllowedBytes: null,
      maxAllowedBytes: null,
      lines: {},
      source: { file: ctx.file, line: rec.line, ...(rec.endLine > rec.line ? { endLine: rec.endLine } : {}) },
    };
    for (const bound of BOUNDS) {
      const v = memoryOf(child(rec, bound), `${name} ${bound}`, ctx);
      if (v) {
        out[`${bound}Bytes` as const] = v.bytes;
        out.lines[bound] = v.line;
      }
    }
    for (const [key, field] of [
      ["minAllowed", "minAllowedBytes"],
      ["maxAllowed", "maxAllowedBytes"],
    ] as const) {
      const v = memoryOf(child(policy, key), `${name} ${key}`, ctx);
      if (v) {
        out[field] = v.bytes;
        out.lines[key] = v.line;
      }
    }
    if (out.targetBytes !== null || out.upperBoundBytes !== null || out.lowerBoundBytes !== null) containers.push(out);
  }
  return {
    source: { file: ctx.file, line: node.line, ...(node.endLine > node.line ? { endLine: node.endLine } : {}) },
    name: str(child(node, "metadata", "name")),
    namespace: str(child(node, "metadata", "namespace")),
    targetRef: target?.type === "map" ? { kind: str(child(target, "kind")), name: str(child(target, "name")) } : null,
    updateMode: str(child(node, "spec", "updatePolicy", "updateMode")),
    containers,
  };
}

// `{memory: "1503238553", cpu: 163m}` → the memory in bytes and its line; null when absent or unreadable.
function memoryOf(resources: Node | undefined, what: string, ctx: Ctx): { bytes: number; line: number } | null {
  const mem = child(resources, "memory");
  if (mem === undefined) return null;
  const raw = mem.type === "scalar" ? mem.value : null;
  const bytes = typeof raw === "boolean" ? null : parseQuantity(raw);
  if (bytes === null || bytes < 0) {
    warn(
      ctx,
      "bad-quantity",
      `${what} memory is not a quantity — expected bytes or a quantity such as 1434Mi — received ${describeNode(mem)}`,
      mem.line,
    );
    return null;
  }
  return { bytes, line: mem.line };
}
