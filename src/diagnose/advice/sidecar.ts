/**
 * Injected sidecars: containers a mutating webhook adds to the pod, which are absent from the
 * workload's template. `kubectl set resources -c istio-proxy` on the Deployment fails ("unable to
 * find container named istio-proxy"); their resources come from pod-template annotations the
 * injector reads. Sources: Istio "Resource Annotations" (sidecar.istio.io/proxyMemoryLimit),
 * Linkerd "Proxy Configuration" (config.linkerd.io/proxy-memory-limit), Vault "Agent Sidecar
 * Injector Annotations" (vault.hashicorp.com/agent-limits-mem), Dapr "Arguments and annotations"
 * (dapr.io/sidecar-memory-limit), Consul "Annotations and labels"
 * (consul.hashicorp.com/sidecar-proxy-memory-limit).
 */
import type { ContainerFact } from "../../model/facts.js";

/** An injector and the annotations that size its sidecar. */
export interface Sidecar {
  injector: string;
  limitAnnotation: string;
  requestAnnotation: string;
}

/**
 * Container names (and image shapes) of injected sidecars. `^(?:[^i]|i(?!stio))*istio` reads from the
 * first `istio` only, so a name repeating it costs linear time (`istio.*proxy` rescanned at each one).
 */
const INJECTED: { name: RegExp; image: RegExp; sidecar: Sidecar }[] = [
  {
    name: /^istio-proxy$/,
    image: /^(?:[^i]|i(?!stio))*istio.*proxy/i,
    sidecar: {
      injector: "Istio",
      limitAnnotation: "sidecar.istio.io/proxyMemoryLimit",
      requestAnnotation: "sidecar.istio.io/proxyMemory",
    },
  },
  {
    name: /^linkerd-proxy$/,
    image: /^(?:[^l]|l(?!inkerd))*linkerd.*proxy/i,
    sidecar: {
      injector: "Linkerd",
      limitAnnotation: "config.linkerd.io/proxy-memory-limit",
      requestAnnotation: "config.linkerd.io/proxy-memory-request",
    },
  },
  {
    name: /^vault-agent(?:-init)?$/,
    image: /vault/i,
    sidecar: {
      injector: "Vault Agent Injector",
      limitAnnotation: "vault.hashicorp.com/agent-limits-mem",
      requestAnnotation: "vault.hashicorp.com/agent-requests-mem",
    },
  },
  {
    name: /^daprd$/,
    image: /dapr/i,
    sidecar: {
      injector: "Dapr",
      limitAnnotation: "dapr.io/sidecar-memory-limit",
      requestAnnotation: "dapr.io/sidecar-memory-request",
    },
  },
  {
    name: /^(?:consul-dataplane|envoy-sidecar)$/,
    image: /consul|envoy/i,
    sidecar: {
      injector: "Consul",
      limitAnnotation: "consul.hashicorp.com/sidecar-proxy-memory-limit",
      requestAnnotation: "consul.hashicorp.com/sidecar-proxy-memory-request",
    },
  },
];

/**
 * The injector of `c` when it is a known injected sidecar: its name is the injector's and its
 * image is the injector's proxy/agent image (or unknown). Null for ordinary containers.
 */
export function injectedSidecar(c: ContainerFact | null): Sidecar | null {
  if (!c) return null;
  const hit = INJECTED.find((i) => i.name.test(c.name) && (c.image === null || i.image.test(c.image)));
  return hit?.sidecar ?? null;
}
