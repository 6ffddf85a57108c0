/**
 * Shell prompts and the command lines they carry, as pastes show them above an output:
 * `$ kubectl get pods -n shop`, `# dmesg -T`, `[root@master ~]$ kubectl describe pod x -n y`,
 * `sre@bastion:~/incident$ kubectl top pod`, `PS C:\Users\me> kubectl get events`, `> ` and
 * `... ` continuation lines, and a bare `kubectl …` line with no prompt. The command is kept as a
 * hint: `kubectl describe pod X -n Y` names the pod and namespace even when the output is cut.
 */

/** What a pasted command line says. */
export interface CommandHint {
  /** The command as typed, after the prompt (`kubectl get pods -n shop -o wide`). */
  command: string;
  /** Words of the command (quotes removed, pipes and what follows them dropped). */
  argv: string[];
  /** `-n X`, `--namespace X`, `--namespace=X`; null when not given. */
  namespace: string | null;
  /** True for `-A` / `--all-namespaces`. */
  allNamespaces: boolean;
  /** For `kubectl <verb> <resource> <name>` (`describe pod x`, `get pod/x`): the resource and the name. */
  resource: string | null;
  name: string | null;
  /** `-o wide|json|yaml|jsonpath=…`. */
  output: string | null;
  /** `-c X` / `--container X` / `--container=X`; null when not given. */
  container: string | null;
}

/**
 * A prompt before a command: `[user@host dir]$ `, `user@host:dir$ `, `host:dir# `, `$ `, `# `,
 * `% `, `> `, `PS C:\path> `. Group 1 is the command.
 */
const PROMPT =
  /^\s*(?:\[[^\]\n]{1,120}\][$#]|[\w.-]{1,64}@[\w.-]{1,64}(?::[^\s$#]{0,120})?[$#]|[\w.-]{1,64}:[^\s$#]{0,120}[$#]|PS [^>\n]{1,120}>|[$#%>])[ \t]+(\S.*)$/;

/**
 * A prompt that cannot be anything else than a shell's: `[user@host dir]$ `, `user@host:dir$ `,
 * `$ `, `PS C:\path> ` (unlike `# ` and `> `, which also start comments and quotes). Group 1 is
 * what was typed after it, possibly nothing.
 */
const SURE_PROMPT =
  /^\s*(?:\[[^\]\n]{1,120}\][$#]|[\w.-]{1,64}@[\w.-]{1,64}(?::[^\s$#]{0,120})?[$#]|\$|PS [A-Za-z]:[^>\n]{0,120}>)(?:[ \t]+(.*)|[ \t]*$)/;

/** Commands worth a hint: the tools whose output the ingesters read. */
const KNOWN_COMMAND =
  /^(?:sudo\s+)?(?:kubectl|oc|k|docker|crictl|nerdctl|podman|dmesg|journalctl|cat|grep|egrep|tail|head|less|more|zcat|zgrep|jq|yq|curl|sar|sadf|pmap|env|printenv|jcmd|node|java|top|free|ps|ls|find|systemctl|memleak|memleak-bpfcc|python3?|go|talosctl|crash)\b/;

/** Splits a command into words: quotes kept together, a pipe ends the first command. */
const WORD = /"([^"]*)"|'([^']*)'|(\S+)/g;

/**
 * Reads a line as a prompt + command (or a bare command of a known tool). Null when the line is
 * not one. A `#` line that reads as a comment (`# taken at 11:02`) is not a command unless it
 * starts with a known tool.
 */
export function readCommandLine(line: string): CommandHint | null {
  const m = PROMPT.exec(line);
  const command = (m ? m[1]! : line.trim()).trim();
  if (!KNOWN_COMMAND.test(command)) return null;
  if (!m && !/^(?:sudo\s+)?(?:kubectl|oc|docker|crictl|dmesg|journalctl|jcmd)\s/.test(command)) return null;
  return hintOf(command);
}

/**
 * A pasted prompt line: `[root@master ~]$ kubectl describe pod x -n y`, `$ dmesg -T`,
 * `# journalctl -k` (`#`, `%`, `>` prompts only before a known tool), `user@host:~$` alone.
 * Returns the command typed (possibly "") and its hint (null for a tool we do not read, such as
 * `ssh node-1`); null when the line is not a prompt line.
 */
export function readPromptLine(line: string): { command: string; hint: CommandHint | null } | null {
  const sure = SURE_PROMPT.exec(line);
  if (sure) {
    const command = (sure[1] ?? "").trim();
    return { command, hint: KNOWN_COMMAND.test(command) ? hintOf(command) : null };
  }
  const m = PROMPT.exec(line);
  if (!m || !KNOWN_COMMAND.test(m[1]!.trim())) return null;
  const command = m[1]!.trim();
  return { command, hint: hintOf(command) };
}

/** The hint a command gives. */
function hintOf(command: string): CommandHint {
  const argv: string[] = [];
  for (const w of command.matchAll(WORD)) {
    const word = w[1] ?? w[2] ?? w[3]!;
    if (w[3] === "|" || w[3]?.startsWith("|")) break;
    argv.push(word);
  }
  let namespace: string | null = null;
  let allNamespaces = false;
  let output: string | null = null;
  let container: string | null = null;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-n" || a === "--namespace") namespace = argv[++i] ?? null;
    else if (a.startsWith("--namespace=")) namespace = a.slice(12);
    else if (a.startsWith("-n") && a.length > 2 && !a.startsWith("--")) namespace = a.slice(2);
    else if (a === "-A" || a === "--all-namespaces") allNamespaces = true;
    else if (a === "-o" || a === "--output") output = argv[++i] ?? null;
    else if (a.startsWith("-o") && a.length > 2 && !a.startsWith("--")) output = a.slice(2).replace(/^=/, "");
    else if (a.startsWith("--output=")) output = a.slice(9);
    else if (a === "-c" || a === "--container") container = argv[++i] ?? null;
    else if (a.startsWith("--container=")) container = a.slice(12);
    else if (a === "-l" || a === "--selector" || a === "--context" || a === "--kubeconfig") i++;
    else if (!a.startsWith("-")) positional.push(a);
  }
  const { resource, name } = kubectlTarget(positional);
  return { command, argv, namespace, allNamespaces, resource, name, output, container };
}

// `kubectl describe pod x` / `kubectl get pod/x` / `kubectl get pods` → resource and name.
function kubectlTarget(positional: string[]): { resource: string | null; name: string | null } {
  const tool = positional[0] === "sudo" ? positional.slice(1) : positional;
  if (!tool[0] || !/^(?:kubectl|oc|k)$/.test(tool[0])) return { resource: null, name: null };
  const [, verb, target, name] = tool;
  if (!verb || !target || !/^(?:get|describe|top|logs|exec|delete|edit)$/.test(verb))
    return { resource: null, name: null };
  if (verb === "top") return { resource: target, name: name ?? null };
  const slash = target.indexOf("/");
  if (slash > 0) return { resource: target.slice(0, slash), name: target.slice(slash + 1) || null };
  return { resource: target, name: name ?? null };
}
