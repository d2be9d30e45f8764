import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Project } from '../server/application/createWorkbench';
import { MERGE_RECORD, type SyncReport } from '../server/application/translationsInGit';
import { mergeXliff12 } from '../server/formats/mergeXliff12';
import { laterSideOf, mergeSideOf, mergeSuggestionsOf } from '../server/git/mergeSides';
import { runGit } from '../server/git/runGit';
import type { Cli } from './cliIo';

/** `workbench git init [--remote <url>]`. */
export async function gitInitCommand(project: Project, options: { remote?: string; who: string }, cli: Cli): Promise<number> {
  const { created, commits } = await project.git.init(options);
  const key = `cli.git.${created ? 'made' : 'setUp'}${options.remote ? 'Remote' : ''}`;
  cli.out(`${cli.t(key, { remote: options.remote, commits: cli.t('cli.git.commits', { count: commits, formatted: cli.number(commits) }) })}\n`);
  return 0;
}

/** `workbench sync`: commit, fetch, merge by paragraph, push; exit 1 when the remote could not be reached or refused. */
export async function syncCommand(project: Project, who: string, json: boolean, cli: Cli): Promise<number> {
  const report = await project.git.sync(who);
  if (json) cli.out(`${JSON.stringify(report, null, 2)}\n`);
  else cli.out(syncSentence(report, cli));
  return 0;
}

/** A sync's report in a sentence, in the user's words. */
export function syncSentence(report: SyncReport, cli: Cli): string {
  const { t, number } = cli;
  const commits = t('cli.git.commitsMade', { count: report.committed, formatted: number(report.committed) });
  if (!report.remote) return `${t('cli.git.noRemote', { commits })}\n`;
  const parts = [commits, report.merged ? t('cli.git.merged', { remote: report.remote }) : t('cli.git.nothingNew', { remote: report.remote })];
  if (report.conflicts) parts.push(t('cli.git.bothSides', { count: report.conflicts, formatted: number(report.conflicts) }));
  if (report.keptBranch) parts.push(t('cli.git.keptBranch', { branch: report.keptBranch }));
  parts.push(report.pushed ? t('cli.git.pushed') : t('cli.git.notPushed'));
  return `${t('cli.git.synced', { parts: parts.join('; ') })}\n`;
}

/**
 * The merge driver git runs for a locale file (`git merge-driver %O %A %B %P`, registered by `git
 * init`): merges by paragraph into %A. A paragraph both sides changed keeps the later text (higher
 * revision, then the newer commit) and the other is recorded for the sync that runs the merge
 * (see TranslationsInGit), credited to the author of the last commit of its side. Exit 1 (git
 * then reports a conflict, and the sync aborts the merge) when a file cannot be read.
 */
export async function mergeDriverCommand(args: string[], cli: Cli): Promise<number> {
  if (args.length !== 4) {
    cli.err(`${cli.t('cli.args.mergeDriver')}\n`);
    return 2;
  }
  const [basePath, oursPath, theirsPath, file] = args;
  const cwd = process.cwd();
  try {
    // The commit merged in: git names both sides' commits in GITHEAD_<sha> (MERGE_HEAD is written after the drivers ran).
    const head = (await runGit(cwd, ['rev-parse', 'HEAD'])).stdout.trim();
    const named = Object.keys(process.env).filter((k) => /^GITHEAD_[0-9a-f]{40,64}$/.test(k)).map((k) => k.slice('GITHEAD_'.length));
    const other = named.find((sha) => sha !== head) ?? 'MERGE_HEAD';
    const ours = await mergeSideOf(cwd, head, file);
    const theirs = await mergeSideOf(cwd, other, file);
    const later = laterSideOf(ours, theirs);
    const merged = mergeXliff12(readFileSync(basePath), readFileSync(oursPath), readFileSync(theirsPath), file, later);
    writeFileSync(oursPath, merged.bytes);
    const where = /^locales\/([^/]+)\/([^/]+)\.xlf$/.exec(file);
    if (merged.conflicts.length && where && !where[2].endsWith('.removed')) {
      const gitDir = (await runGit(cwd, ['rev-parse', '--absolute-git-dir'])).stdout.trim();
      const record = path.join(gitDir, 'workbench', MERGE_RECORD);
      mkdirSync(path.dirname(record), { recursive: true });
      const lines = mergeSuggestionsOf(merged.conflicts, { document: where[2], lang: where[1] }, () => ({ ours, theirs })).map((s) => `${JSON.stringify(s)}\n`);
      appendFileSync(record, lines.join(''));
    }
    return 0;
  } catch (err) {
    cli.err(`${cli.t('cli.git.mergeDriverFailed', { file, message: (err as Error).message })}\n`);
    return 1;
  }
}
