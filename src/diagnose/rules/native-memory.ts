/**
 * native-memory: the managed heap stays within bounds while RSS grows outside it (direct
 * buffers, thread stacks, metaspace, JNI, malloc arenas). Deciding it needs pmap snapshots or
 * the runtime's native memory tracking; from kubectl and the kernel log alone it stays open.
 */
import { defineRule, undetermined } from "../types.js";

export default defineRule({
  id: "native-memory",
  title: "Native memory outside the managed heap",
  evaluate() {
    return undetermined("native-memory", "telling heap from native memory needs per-mapping data, which the bundle does not have", [
      "two pmap -x snapshots of the process taken minutes apart",
      "JVM native memory tracking (jcmd <pid> VM.native_memory summary)",
    ]);
  },
});
