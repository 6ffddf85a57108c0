/**
 * Memory anatomy at the kill: where the memcg's usage went (anon, page cache, shmem, kernel),
 * from memory.stat snapshots or the kernel's memcg stats. (Being filled in.)
 */
import type { SubjectFacts } from "../correlate/index.js";
import type { Kill, MemoryAnatomy } from "../model/incident.js";

/** The anatomy nearest before the last kill, or null when the bundle has no breakdown. */
export function memoryAnatomy(_s: SubjectFacts, _kills: Kill[]): MemoryAnatomy | null {
  return null;
}
