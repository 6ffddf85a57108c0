// ESLint (flat config): typescript-eslint's recommended rules and eslint-plugin-regexp's (regular
// expressions that are wrong, redundant or super-linear), over src/, test/, bench/ and the configs.
// Run by `npm run lint`, which `npm test` runs first. Not type-aware: the type checker is `tsc`.
import js from "@eslint/js";
import regexp from "eslint-plugin-regexp";
import tseslint from "typescript-eslint";

/** Node's globals, for the plain JavaScript in bench/ (TypeScript files get them from @types/node). */
const node = Object.fromEntries(
  [
    "process",
    "console",
    "Buffer",
    "URL",
    "setTimeout",
    "clearTimeout",
    "setImmediate",
    "performance",
    "TextDecoder",
    "TextEncoder",
  ].map((n) => [n, "readonly"]),
);

export default tseslint.config(
  { ignores: ["dist/", "coverage/", "node_modules/", ".vitest-report-*.json"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  regexp.configs["flat/recommended"],
  { files: ["**/*.{js,mjs}"], languageOptions: { globals: node } },
  {
    rules: {
      // Matching control characters is the point where artifact text is made inert (util/text.ts).
      "no-control-regex": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Linear-time matching (issue 10): every regular expression in src/ reads artifact text, so none may
    // backtrack super-linearly (one match attempt) or move super-linearly (a /g or unanchored search
    // retried at every position). No file is exempt. test/hostile/regex-linear.test.ts checks this too.
    files: ["src/**/*.ts"],
    rules: {
      "regexp/no-super-linear-backtracking": "error",
      "regexp/no-super-linear-move": ["error", { ignorePartial: false }],
    },
  },
);
