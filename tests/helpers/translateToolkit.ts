import { spawnSync } from 'node:child_process';

/** The Translate Toolkit commands the interchange tests run. */
const COMMANDS = ['po2xliff', 'xliff2po', 'pocount'] as const;

const missing = (command: string): string =>
  `${command} was not found on PATH. The interchange tests run Translate Toolkit's real tools: install the Debian package translate-toolkit (e.g. \`sudo apt-get install translate-toolkit\`).`;

/** Throws a clear error when a Translate Toolkit command is missing (tests must fail, not skip). */
export function requireTranslateToolkit(): void {
  for (const command of COMMANDS) {
    const result = spawnSync(command, ['--help'], { encoding: 'utf8' });
    if (result.error) throw new Error(missing(command), { cause: result.error });
  }
}

/** Runs a Translate Toolkit command, throwing with its output when it fails. */
function run(command: (typeof COMMANDS)[number], args: string[], cwd?: string): string {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd });
  if (result.error) throw new Error(missing(command), { cause: result.error });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${output}`);
  return output;
}

/**
 * Converts a PO file to XLIFF 1.1 with po2xliff, run in `cwd` (the file's `original` is the PO
 * path as given: pass names relative to `cwd` for an output that does not depend on where it ran).
 */
export function po2xliff(poPath: string, xliffPath: string, cwd?: string): void {
  run('po2xliff', [poPath, xliffPath], cwd);
}

/** Converts an XLIFF file to PO with xliff2po (each unit's id becomes the entry's location comment). */
export function xliff2po(xliffPath: string, poPath: string, cwd?: string): void {
  run('xliff2po', [xliffPath, poPath], cwd);
}

/** One line of pocount's report: a number of strings (units) and of source words. */
export interface PocountLine {
  strings: number;
  sourceWords: number;
}

/**
 * pocount's report on one file. `translated`, `fuzzy`, `untranslated` and `total` are its main
 * classes; `extended` holds the per-state lines it adds for XLIFF (keys as it prints them, lower
 * case: "final", "unreviewed", "needs-review", "needs-work", "empty"); `review` its review line.
 */
export interface PocountReport {
  translated: PocountLine;
  fuzzy: PocountLine;
  untranslated: PocountLine;
  total: PocountLine;
  review?: PocountLine;
  extended: Record<string, PocountLine>;
  output: string;
}

/**
 * Runs pocount on one file and reads its full report. Not `--csv`: Translate Toolkit 3.8.4's CSV
 * writer fails (KeyError 'reviewsourdcewords', a typo in pocount.py) as soon as a file has a unit
 * it counts as needs-review, cutting the line short; the full report is whole.
 */
export function pocount(path: string): PocountReport {
  const output = run('pocount', ['--no-color', path]);
  if (/ERROR/.test(output)) throw new Error(`pocount reported an error:\n${output}`);
  const lines = new Map<string, PocountLine>();
  for (const line of output.split('\n')) {
    const match = /^([A-Za-z-]+):\s+(\d+)(?:\s+\(\s*\d+%\))?\s+(\d+)/.exec(line);
    if (match) lines.set(match[1].toLowerCase(), { strings: Number(match[2]), sourceWords: Number(match[3]) });
  }
  const main = (name: string): PocountLine => {
    const found = lines.get(name);
    if (!found) throw new Error(`pocount printed no "${name}" line:\n${output}`);
    lines.delete(name);
    return found;
  };
  const report: PocountReport = { translated: main('translated'), fuzzy: main('fuzzy'), untranslated: main('untranslated'), total: main('total'), extended: {}, output };
  const review = lines.get('review');
  lines.delete('review');
  if (review) report.review = review;
  report.extended = Object.fromEntries(lines);
  return report;
}
