/*
 * po4a doing the same work as a workbench command, for the benches to print beside the
 * workbench's time (`npm run bench -- drift`, `export` and `scale`). Each is one whole process, as
 * a user runs it; what it needs first (a POT, a translated PO) is made before the clock starts.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** What po4a took, or why it was not measured (not installed, or it failed). */
export type Po4aTime = { ms: number } | { skipped: string };

/** po4a reads a Markdown body: the workbench's front matter is left out. */
const body = (text: string): string => text.replace(/^---\n[\s\S]*?\n---\n/, '');

const OPTIONS = ['-f', 'text', '-o', 'markdown', '-M', 'UTF-8'];

function installed(commands: readonly string[]): string | undefined {
  const has = spawnSync('sh', ['-c', commands.map((c) => `command -v ${c}`).join(' && ')], { encoding: 'utf8' });
  return has.status === 0 ? undefined : `${commands.join(', ')} not installed (apt-get install po4a gettext): no comparison`;
}

/**
 * Makes `<dir>/book.pot` from `text` (po4a-updatepo on a new POT: po4a-gettextize wants an
 * existing translation to align with), and `<dir>/<code>.po` for each language: the first
 * `translated` filled by msgen (every msgstr its msgid: a complete translation), the rest copies
 * of the POT (started, nothing translated). Gives the PO files, or why it could not.
 */
function poFiles(dir: string, text: string, codes: readonly string[], translated: number): string[] | string {
  const master = path.join(dir, 'po4a-master.md');
  writeFileSync(master, body(text));
  const pot = path.join(dir, 'book.pot');
  const made = spawnSync('po4a-updatepo', [...OPTIONS, '-m', master, '-p', pot], { encoding: 'utf8' });
  if (made.status !== 0) return `po4a-updatepo could not make the POT: ${made.stderr.slice(0, 200)}`;
  const files = codes.map((code) => path.join(dir, `${code}.po`));
  for (const [i, file] of files.entries()) {
    if (i >= translated) {
      copyFileSync(pot, file);
      continue;
    }
    const filled = spawnSync('msgen', [pot, '-o', file], { encoding: 'utf8' });
    if (filled.status !== 0) return `msgen failed: ${filled.stderr.slice(0, 200)}`;
  }
  return files;
}

function timed(command: string, args: readonly string[]): Po4aTime {
  const start = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  return run.status === 0 ? { ms } : { skipped: `${command} failed: ${String(run.stderr).slice(0, 200)}` };
}

/**
 * po4a-updatepo bringing the PO files of `codes` from text `v1` to `v2`, in one process (the new
 * master is read once, then each PO merged): the first `translated` PO files are fully translated,
 * the rest started, as the workbench's locales are.
 */
export function po4aUpdate(dir: string, v1: string, v2: string, codes: readonly string[], translated: number): Po4aTime {
  const missing = installed(['po4a-updatepo', 'msgen']);
  if (missing) return { skipped: missing };
  const files = poFiles(dir, v1, codes, translated);
  if (typeof files === 'string') return { skipped: files };
  const master = path.join(dir, 'po4a-master-v2.md');
  writeFileSync(master, body(v2));
  return timed('po4a-updatepo', [...OPTIONS, '-m', master, ...files.flatMap((file) => ['-p', file])]);
}

/** po4a-translate making the translated Markdown of `text` from a fully translated PO. */
export function po4aTranslate(dir: string, text: string): Po4aTime {
  const missing = installed(['po4a-translate', 'po4a-updatepo', 'msgen']);
  if (missing) return { skipped: missing };
  const files = poFiles(dir, text, ['es'], 1);
  if (typeof files === 'string') return { skipped: files };
  return timed('po4a-translate', [...OPTIONS, '-L', 'UTF-8', '-m', path.join(dir, 'po4a-master.md'), '-p', files[0], '-l', path.join(dir, 'po4a-book.es.md')]);
}

/** The line a bench prints for a po4a time beside the workbench's `ours` (what it compares with, e.g. "the workbench's export"). */
export function po4aVerdict(time: Po4aTime, ours: number, what: string): string {
  return 'ms' in time ? `${time.ms.toFixed(0).padStart(6)} ms (${(time.ms / ours).toFixed(1)}x ${what})` : time.skipped;
}
