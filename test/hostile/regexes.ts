/**
 * Every regular expression in src/, as ESLint sees it: regex literals and `new RegExp(…)`
 * whose pattern is a constant (template strings and `.join` of constant arrays resolved by
 * @eslint-community/eslint-utils' getStaticValue, the resolver eslint-plugin-regexp uses).
 * The lint run here has only the collecting rule (a few seconds); the project's rules run in
 * `npm run lint`.
 */
import { getStaticValue } from "@eslint-community/eslint-utils";
import tsParser from "@typescript-eslint/parser";
import { ESLint, type Rule } from "eslint";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** One regex found in src/. */
export interface FoundRegex {
  file: string;
  /** The constant it is assigned to (`const NAME = /…/`), or "" for an inline regex. */
  name: string;
  line: number;
  source: string;
  flags: string;
}

/** A regex whose pattern is not a constant (would be reported so the test fails loudly). */
export interface DynamicRegex {
  file: string;
  line: number;
}

/** What one collecting run over src/ gives: the regexes and the unresolvable ones. */
export interface SrcRegexes {
  regexes: FoundRegex[];
  dynamic: DynamicRegex[];
}

/** The name of the constant a regex is assigned to (through one level of parentheses), or "". */
function nameOf(node: Rule.Node): string {
  const parent = node.parent;
  return parent?.type === "VariableDeclarator" && parent.id.type === "Identifier" ? parent.id.name : "";
}

/** Parses src/ with typescript-eslint's parser and a collecting rule (no other rule, no config file). */
export async function collectSrcRegexes(): Promise<SrcRegexes> {
  const regexes: FoundRegex[] = [];
  const dynamic: DynamicRegex[] = [];
  const collect: Rule.RuleModule = {
    meta: { type: "problem", schema: [] },
    create(context) {
      const file = context.filename.slice(REPO.length);
      return {
        Literal(node) {
          if ("regex" in node && node.regex) regexes.push({ file, name: nameOf(node), line: node.loc!.start.line, source: node.regex.pattern, flags: node.regex.flags });
        },
        NewExpression(node) {
          if (node.callee.type !== "Identifier" || node.callee.name !== "RegExp") return;
          const scope = context.sourceCode.getScope(node);
          const [pattern, flags] = node.arguments.map((a) => getStaticValue(a as never, scope));
          if (!pattern || typeof pattern.value !== "string") dynamic.push({ file, line: node.loc!.start.line });
          else regexes.push({ file, name: nameOf(node), line: node.loc!.start.line, source: pattern.value, flags: typeof flags?.value === "string" ? flags.value : "" });
        },
      };
    },
  };
  const eslint = new ESLint({
    cwd: REPO,
    overrideConfigFile: true,
    overrideConfig: [{ files: ["src/**/*.ts"], languageOptions: { parser: tsParser }, plugins: { collect: { rules: { regexes: collect } } }, rules: { "collect/regexes": "warn" } }],
  });
  const results = await eslint.lintFiles(["src/**/*.ts"]);
  const fatal = results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => `${r.filePath}:${m.line} ${m.message}`));
  if (fatal.length > 0) throw new Error(`src/ does not parse: ${fatal.join("; ")}`);
  return { regexes, dynamic };
}
