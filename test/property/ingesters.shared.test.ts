/** The hostile-input properties (hostile-suite.ts) on the real captures of ../shared/realworld (npm run test:shared). */
import { REALWORLD } from "../realworld.js";
import { hostileInputSuite } from "./hostile-suite.js";
import { loadCorpus } from "./invariants.js";

hostileInputSuite(
  "real captures",
  loadCorpus([[REALWORLD, "realworld"]]),
  {
    strings: 0,
    bytes: 0,
    soup: 100,
    truncated: 100,
    midLineCut: 50,
    shuffled: 30,
    repeated: 30,
    numbers: 40,
    giant: 3,
  },
  5000,
);
