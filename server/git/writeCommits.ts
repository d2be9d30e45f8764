import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { WorkbenchError } from '../errors';
import { redactCredentials } from './runGit';
import type { GitRepository } from './gitRepository';

/** A commit to write: its author, message, and the files it changes (bytes, or undefined to delete). */
export interface PlannedCommit {
  author: { name: string; email: string };
  message: string;
  changes: { path: string; bytes: Uint8Array | undefined }[];
  /** A second parent: the commit a merge commit merges. */
  merge?: string;
}

/** A name or address as a commit header takes it: no angle brackets or line breaks. */
const headerSafe = (value: string): string => value.replace(/[<>\n\r]/g, ' ').trim() || 'someone';

/**
 * Writes `commits` (made as they are written: a book's versions are not all held at once) one after the other on top of `parent` with one `git fast-import` (a pack, each
 * file delta-compressed against its previous version: a book's twenty versions of a 10 MB file in
 * one process, not forty) under a ref of the workbench's own; returns the last commit. The branch
 * is not moved: the caller does (see TranslationsInGit).
 */
export async function writeCommits(repo: GitRepository, parent: string | undefined, commits: Iterable<PlannedCommit> | AsyncIterable<PlannedCommit>, committer: { name: string; email: string }): Promise<{ head: string | undefined; count: number }> {
  const ref = 'refs/workbench/batch';
  const child = spawn('git', ['fast-import', '--quiet', '--done', '--force'], { cwd: repo.dir, env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' }, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 10_000) stderr += chunk;
  });
  const exited = once(child, 'close') as Promise<[number | null]>;
  const failed = once(child, 'error').then(([err]) => err as Error);
  const write = async (part: string | Uint8Array): Promise<void> => {
    if (!child.stdin.write(part)) await Promise.race([once(child.stdin, 'drain'), failed]);
  };
  const time = `${Math.floor(Date.now() / 1000)} +0000`;
  let i = 0;
  try {
    for await (const commit of commits) {
      const message = Buffer.from(commit.message, 'utf8');
      await write(`commit ${ref}\n`);
      await write(`author ${headerSafe(commit.author.name)} <${headerSafe(commit.author.email)}> ${time}\n`);
      await write(`committer ${headerSafe(committer.name)} <${headerSafe(committer.email)}> ${time}\n`);
      await write(`data ${message.byteLength}\n`);
      await write(message);
      await write('\n');
      if (i === 0 && parent) await write(`from ${parent}\n`);
      if (commit.merge) await write(`merge ${commit.merge}\n`);
      for (const change of commit.changes) {
        if (/[\n"]/.test(change.path) || change.path.startsWith('/')) throw new WorkbenchError(400, 'git-path-invalid', `The file name ${JSON.stringify(change.path)} cannot be committed.`);
        if (change.bytes === undefined) {
          await write(`D ${change.path}\n`);
          continue;
        }
        await write(`M 100644 inline ${change.path}\ndata ${change.bytes.byteLength}\n`);
        await write(change.bytes);
        await write('\n');
      }
      await write('\n');
      i++;
    }
    await write('done\n');
    child.stdin.end();
  } catch (err) {
    child.kill();
    throw err;
  }
  const [code] = await Promise.race([exited, failed.then((err) => Promise.reject(err))]);
  if (code !== 0) throw new WorkbenchError(500, 'git-commit-failed', `git fast-import failed: ${redactCredentials(stderr.trim()).split('\n').slice(-4).join('\n')}`);
  if (i === 0) return { head: undefined, count: 0 };
  const head = (await repo.run(['rev-parse', '--verify', `${ref}^{commit}`])).stdout.trim();
  await repo.run(['update-ref', '-d', ref]);
  return { head, count: i };
}
