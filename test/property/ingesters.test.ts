/** The hostile-input properties (hostile-suite.ts) on the repository's fixtures and samples. */
import { hostileInputSuite } from "./hostile-suite.js";
import { loadCorpus, REPO_CORPUS } from "./invariants.js";

hostileInputSuite(
  "fixtures and samples",
  loadCorpus(REPO_CORPUS),
  {
    strings: 100,
    bytes: 100,
    soup: 100,
    truncated: 100,
    midLineCut: 50,
    shuffled: 30,
    repeated: 30,
    numbers: 40,
    giant: 3,
  },
  4000,
);
