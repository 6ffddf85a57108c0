/**
 * The kinds of artifact a bundle file can be read as: one ingester per kind (DESIGN.md §2), in
 * `src/ingest/<kind>.ts`. Here, below every stage, because discover (collector layouts), ingest
 * and the report (`BundleFile.kind`) all name them.
 */
export type ArtifactKind =
  | "kubectl-describe"
  | "pod-json"
  | "kernel-log"
  | "memory-stat"
  | "pmap"
  | "metrics-csv"
  | "runtime-config"
  | "vpa"
  | "kubectl-get-pods"
  | "kubectl-get-events"
  | "kubectl-top"
  | "prometheus"
  | "sysstat"
  | "proc-status"
  | "docker-inspect"
  | "runtime-env"
  | "node-heap-stats"
  | "go-memstats"
  | "jcmd"
  | "memleak"
  | "kubectl-jsonpath";
