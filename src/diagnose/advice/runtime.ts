/**
 * Which runtime the killed process runs, from what the bundle shows: the kernel's name for the
 * victim (`java`, `node`, `python3`), runtime flags in the container's env and args, a runtime
 * config capture (PrintFlagsFinal, `v8.getHeapStatistics()`), the command and the image.
 * Runtime advice (NMT and jcmd for a JVM, heap snapshots for Node, pprof for Go, tracemalloc for
 * Python) is only given for the runtime found here, and never JVM advice for a process the
 * kernel named as something other than a JVM.
 */
import type { SubjectFacts } from "../../correlate/index.js";
import type { Kill } from "../../model/incident.js";
import { runtimeFlags } from "../runtime-flags.js";

export type Runtime = "jvm" | "node" | "go" | "python";

/** The runtime with the reason in words (`process java`, `GOMEMLIMIT in the env`), or null when unknown. */
export interface RuntimeGuess {
  runtime: Runtime | null;
  why: string;
}

/** Kernel comm names (≤ 15 chars) of each runtime's main process. */
const PROCESS: [Runtime, RegExp][] = [
  ["jvm", /^(?:java|jsvc)$/],
  ["node", /^(?:node|nodejs)$/],
  ["python", /^(?:python[\d.]*|gunicorn|uwsgi|uvicorn|celery|daphne|hypercorn)$/],
];
/** JVM base-image words at the start of an image path segment or after a `-`: `library/openjdk`, `eclipse-temurin`. */
const JVM_IMAGE_WORD =
  /(?:^|-)(?:openjdk|eclipse-temurin|temurin|amazoncorretto|corretto|zulu|jdk|jre|java|jetty|tomcat|wildfly|spring)/i;
const NODE_IMAGE = /(?:^|\/)(?:node|nodejs)(?::|$|-)/i;
const PYTHON_IMAGE = /(?:^|\/)python(?::|$|-)/i;
const GO_IMAGE = /(?:^|\/)golang(?::|$|-)/i;

/** Image names of runtime base images. */
const IMAGE: [Runtime, (image: string) => boolean][] = [
  ["jvm", isJvmImage],
  ["node", (image) => NODE_IMAGE.test(image)],
  ["python", (image) => PYTHON_IMAGE.test(image)],
  ["go", (image) => GO_IMAGE.test(image)],
];
/** Env vars only one runtime reads. */
const ENV: [Runtime, RegExp][] = [
  ["go", /^(?:GOMEMLIMIT|GOGC|GODEBUG|GOMAXPROCS)$/],
  ["node", /^NODE_OPTIONS$/],
  ["python", /^PYTHON(?:UNBUFFERED|PATH|MALLOC|TRACEMALLOC|DONTWRITEBYTECODE)$/],
  ["jvm", /^(?:JAVA_TOOL_OPTIONS|JAVA_OPTS|JDK_JAVA_OPTIONS|_JAVA_OPTIONS|CATALINA_OPTS)$/],
];

/**
 * Decides the runtime of the subject's killed process. When the kernel named the victim and the
 * name is not a JVM's, the answer is never `jvm` whatever the image says (a JVM's comm is `java`).
 */
export function detectRuntime(s: SubjectFacts, kills: Kill[]): RuntimeGuess {
  const process =
    kills
      .map((k) => k.process)
      .filter((p): p is string => p !== null)
      .at(-1) ?? null;
  const byProcess = process ? PROCESS.find(([, re]) => re.test(process))?.[0] : undefined;
  if (byProcess) return { runtime: byProcess, why: `process ${process}` };
  const notJvm = (r: Runtime) => process === null || r !== "jvm";
  const c = s.container;
  const flag = c ? runtimeFlags(c).find((f) => notJvm(f.runtime)) : undefined;
  if (flag)
    return {
      runtime: flag.runtime,
      why: flag.holder.kind === "env" ? `${flag.holder.name} sets ${flag.flag}` : `the command line sets ${flag.flag}`,
    };
  // Runtime configs are not attributed to a container: trust one only when it is the bundle's only runtime.
  const configs = s.runtimeConfigs.filter((f): f is typeof f & { runtime: Runtime } => f.runtime !== "glibc");
  const config = configs.find((f) => notJvm(f.runtime));
  if (config && (new Set(configs.map((f) => f.runtime)).size === 1 || process === null))
    return { runtime: config.runtime, why: `the ${config.runtime} runtime config in ${config.source.file}` };
  const argv0 = c?.command[0] ?? c?.args[0] ?? null;
  const base = argv0?.split("/").at(-1) ?? null;
  const byCommand = base ? PROCESS.find(([r, re]) => re.test(base) && notJvm(r))?.[0] : undefined;
  if (byCommand && (process === null || process === base)) return { runtime: byCommand, why: `command ${base}` };
  const env = c?.env.map((e) => ENV.find(([r, re]) => re.test(e.name) && notJvm(r))).find(Boolean);
  if (env) return { runtime: env[0], why: `${c!.env.find((e) => env[1].test(e.name))!.name} in the env` };
  const image = c?.image ? IMAGE.find(([r, matches]) => matches(c.image!) && notJvm(r))?.[0] : undefined;
  if (image && process === null) return { runtime: image, why: `image ${c!.image}` };
  return { runtime: null, why: process ? `process ${process}` : "unknown" };
}

/**
 * A JVM base image (`eclipse-temurin:17-jre`, `registry.local/library/openjdk:8u181-jre`): a JVM
 * word in the last path segment, or in an earlier one with a `:` after it. Read segment by
 * segment, so a name repeating `-jdk` costs linear time (a single pattern scanned the rest of the
 * segment again at every `-jdk`).
 */
function isJvmImage(image: string): boolean {
  const segments = image.split("/");
  return segments.some((segment, i) => {
    const word = JVM_IMAGE_WORD.exec(segment);
    return word !== null && (i === segments.length - 1 || segment.includes(":", word.index));
  });
}
