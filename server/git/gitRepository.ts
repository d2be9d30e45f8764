import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WorkbenchError } from '../errors';
import { runGit } from './runGit';

/** The merge driver's name in `.gitattributes` and the repository's config. */
export const XLIFF_DRIVER = 'workbench-xliff';

/** What `.gitattributes` says of a project's files: locale files merged by paragraph, suggestion lists by union. */
export const GIT_ATTRIBUTES = [`locales/**/*.xlf merge=${XLIFF_DRIVER}`, 'locales/**/*.conflicts.jsonl merge=union'];

/** What `.gitignore` keeps out: records, accounts and secrets (the database), caches, staged imports, locks, the settings (they may hold API keys). */
export const GIT_IGNORE = ['/workbench.db', '/workbench.db-*', '/workbench.lock*', '/.cache/', '/staged/', '/workbench.config.json', '/*.migrated', '.*.tmp*', '*.tmp'];

/** The paths of a project that are committed: its sources (with their ids and versions) and its translations. */
export const PROJECT_PATHS = ['source', 'locales'];

/** The committer of every commit the workbench makes (the author is the person). */
export const WORKBENCH_COMMITTER = { GIT_COMMITTER_NAME: 'Translation workbench', GIT_COMMITTER_EMAIL: 'workbench@localhost.invalid' };

/** A person as a commit's author: their name and a no-reply address (see the README). */
export function authorOf(name: string): { GIT_AUTHOR_NAME: string; GIT_AUTHOR_EMAIL: string } {
  const local = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'someone';
  return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: `${local}@users.noreply.workbench.invalid` };
}

/** A project's git work tree: its folder, its git folder, and the commands the workbench runs in it. */
export class GitRepository {
  private constructor(
    readonly dir: string,
    readonly gitDir: string,
  ) {}

  /** The repository whose top-level folder is `dir`, or undefined when `dir` is not the top of a git work tree. */
  static async at(dir: string): Promise<GitRepository | undefined> {
    if (!existsSync(path.join(dir, '.git'))) return undefined;
    try {
      const top = (await runGit(dir, ['rev-parse', '--show-toplevel'])).stdout.trim();
      if (realpathSync(top) !== realpathSync(dir)) return undefined;
      const gitDir = (await runGit(dir, ['rev-parse', '--absolute-git-dir'])).stdout.trim();
      return new GitRepository(dir, gitDir);
    } catch {
      return undefined;
    }
  }

  run(args: readonly string[], options?: Parameters<typeof runGit>[2]) {
    return runGit(this.dir, args, options);
  }

  /** The output of a command that may fail, trimmed, or undefined when it failed. */
  async tryRun(args: readonly string[], options?: Parameters<typeof runGit>[2]): Promise<string | undefined> {
    try {
      return (await runGit(this.dir, args, options)).stdout.trim();
    } catch {
      return undefined;
    }
  }

  /** The bytes of `file` in `commit`, or undefined when it has no such file. */
  async showBlob(commit: string, file: string): Promise<Buffer | undefined> {
    const blob = await this.tryRun(['rev-parse', '-q', '--verify', `${commit}:${file}`]);
    if (!blob) return undefined;
    return new Promise((resolve) => {
      execFile('git', ['cat-file', 'blob', blob], { cwd: this.dir, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (err, stdout) => resolve(err ? undefined : stdout));
    });
  }

  /**
   * The union merge git makes of a text file (`merge=union`, the suggestion lists): `ours` with
   * the lines `theirs` added since `base`, and without those it took out that ours kept.
   */
  async unionMerge(ours: Uint8Array, base: Uint8Array, theirs: Uint8Array): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'workbench-union-'));
    try {
      const files = ['ours', 'base', 'theirs'].map((name) => path.join(dir, name));
      await Promise.all([ours, base, theirs].map((bytes, i) => fs.writeFile(files[i], bytes)));
      return (await runGit(this.dir, ['merge-file', '--union', '-p', ...files])).stdout;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** The commit HEAD names, or undefined before the first commit. */
  head(): Promise<string | undefined> {
    return this.tryRun(['rev-parse', '-q', '--verify', 'HEAD^{commit}']);
  }

  /** The branch checked out (undefined when HEAD is detached). */
  branch(): Promise<string | undefined> {
    return this.tryRun(['symbolic-ref', '-q', '--short', 'HEAD']);
  }

  /** The first remote (origin when there is one), or undefined. */
  async remote(): Promise<string | undefined> {
    const remotes = ((await this.tryRun(['remote'])) ?? '').split('\n').filter(Boolean);
    return remotes.includes('origin') ? 'origin' : remotes[0];
  }

  /** A file in the workbench's own folder inside the git folder (state that is not project data). */
  statePath(name: string): string {
    return path.join(this.gitDir, 'workbench', name);
  }

  async readState(name: string): Promise<string | undefined> {
    try {
      return await fs.readFile(this.statePath(name), 'utf8');
    } catch {
      return undefined;
    }
  }

  async writeState(name: string, text: string): Promise<void> {
    const file = this.statePath(name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temp, text);
    await fs.rename(temp, file);
  }

  /** True when `.gitattributes` routes locale files to the workbench's merge driver. */
  async hasAttributes(): Promise<boolean> {
    try {
      return (await fs.readFile(path.join(this.dir, '.gitattributes'), 'utf8')).split('\n').some((line) => line.trim() === GIT_ATTRIBUTES[0]);
    } catch {
      return false;
    }
  }

  /**
   * Registers the merge driver in the repository's config (each clone needs it: config is not
   * shared through the remote): `workbench git merge-driver` of this installation, by absolute path.
   */
  async registerDriver(cliScript: string): Promise<void> {
    const command = `${shellQuote(process.execPath)} ${shellQuote(cliScript)} git merge-driver %O %A %B %P`;
    await this.run(['config', `merge.${XLIFF_DRIVER}.name`, 'translation workbench: locale files merged by paragraph']);
    await this.run(['config', `merge.${XLIFF_DRIVER}.driver`, command]);
  }

  /** The driver command registered, or undefined. */
  driver(): Promise<string | undefined> {
    return this.tryRun(['config', '--get', `merge.${XLIFF_DRIVER}.driver`]);
  }

  /**
   * Refuses (409 'git-busy', with what to do) a repository left in the middle of a merge, rebase,
   * cherry-pick or revert: the workbench touches nothing of it.
   */
  async refuseUnfinished(): Promise<void> {
    const states: [string, string][] = [
      ['MERGE_HEAD', 'a merge'],
      ['rebase-merge', 'a rebase'],
      ['rebase-apply', 'a rebase'],
      ['CHERRY_PICK_HEAD', 'a cherry-pick'],
      ['REVERT_HEAD', 'a revert'],
    ];
    for (const [name, what] of states) {
      if (existsSync(path.join(this.gitDir, name))) {
        throw new WorkbenchError(409, 'git-busy', `The project's repository is in the middle of ${what} started outside the workbench. Finish it or abort it in ${this.dir} (git status says how), then sync again. Nothing was changed.`, { params: { what } });
      }
    }
  }
}

/** `value` quoted for the POSIX shell git runs a merge driver with. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
