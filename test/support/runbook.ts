/**
 * The temporal CLI commands the runbooks (README.md, docs/operations.md) tell an operator to type, as written: every
 * line of a code block and every inline code span that is a temporal command (`deployments/native/temporal …`,
 * `temporal …`, the tables' `… workflow …` shorthand and bare `workflow <verb> …`), and each Web UI query of the
 * stuck-saga table (`WorkflowType = …`, run as `workflow list --query`).
 */
const CLI = 'deployments/native/temporal';
/** A temporal CLI subcommand (not a log message such as `activity completed`). */
const VERBS =
  /^((workflow|schedule|task-queue|operator) [a-z-]+|activity (reset|pause|unpause|complete|fail|update-options))(\s|$)/;
/** Flags that name what a command acts on: a command with one is run; one without is a reference, checked by --help. */
const TARGETS = /--(workflow-id|query|schedule-id|task-queue)\b/;

export interface RunbookCommand {
  /** file:line it was read from. */
  where: string;
  command: string;
  /** Names its target: run as it is (after placeholders are filled); else only its subcommand is checked. */
  runnable: boolean;
}

function asCommand(text: string): string | undefined {
  const t = text.trim();
  if (t.startsWith(`${CLI} `)) return t;
  if (t.startsWith('temporal ')) return `${CLI} ${t.slice('temporal '.length)}`;
  if (t.startsWith('… ') && VERBS.test(t.slice(2))) return `${CLI} ${t.slice(2)}`;
  if (VERBS.test(t)) return `${CLI} ${t}`;
  if (t.startsWith('WorkflowType = ')) return `${CLI} workflow list --query "${t}"`;
  return undefined;
}

/** A code block's line without its trailing `# comment` (two spaces or more, then #). */
const withoutComment = (line: string): string => line.replace(/\s{2,}#.*$/, '').trim();

export function runbookCommands(markdown: string, file: string): RunbookCommand[] {
  const found: RunbookCommand[] = [];
  const add = (text: string, line: number): void => {
    const command = asCommand(text);
    if (!command) return;
    // `--query "…"` stands for any of the queries listed elsewhere: a reference, not a command.
    const runnable = TARGETS.test(command) && !command.includes('"…"');
    found.push({ where: `${file}:${line}`, command, runnable });
  };
  const lines = markdown.split('\n');
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trimStart().startsWith('```')) {
      inBlock = !inBlock;
      continue;
    }
    if (inBlock) {
      let text = withoutComment(line);
      const start = i + 1;
      while (text.endsWith('\\') && i + 1 < lines.length)
        text = `${text.slice(0, -1).trim()} ${withoutComment(lines[++i]!)}`;
      add(text, start);
      continue;
    }
    for (const span of line.matchAll(/`([^`]+)`/g)) add(span[1]!, i + 1);
  }
  return found;
}

/** The subcommand of a command (`deployments/native/temporal workflow reset`), for checking a reference by --help. */
export function subcommandOf(command: string): string {
  const words = command.split(/\s+/);
  const firstFlag = words.findIndex((w) => w.startsWith('--') || w.startsWith('$') || w === '…');
  return words.slice(0, firstFlag === -1 ? words.length : firstFlag).join(' ');
}
