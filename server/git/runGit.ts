import { execFile } from 'node:child_process';
import { WorkbenchError } from '../errors';

/** What a git command printed. */
export interface GitOutput {
  stdout: string;
  stderr: string;
}

/** How long one git command may take (a fetch or push of a book over a slow link included). */
const GIT_TIMEOUT_MS = 5 * 60_000;

/**
 * Runs the system's `git` (Debian's package) in `cwd`, without a shell and without a terminal to
 * ask for a password on (credentials come from the environment: an SSH agent, a credential helper,
 * GIT_ASKPASS). A failure throws a WorkbenchError with `code` and git's own words, credentials
 * taken out (see redactCredentials). `input` is written to its standard input.
 */
export function runGit(cwd: string, args: readonly string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; code?: string; status?: number } = {}): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...args],
      {
        cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...options.env },
        maxBuffer: 256 * 1024 * 1024,
        timeout: GIT_TIMEOUT_MS,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (!err) {
          resolve({ stdout, stderr });
          return;
        }
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        const said = redactCredentials(String(stderr || stdout || '').trim()).split('\n').slice(-6).join('\n');
        const message = missing ? 'git is not installed on this machine (install the "git" package).' : `git ${args[0]} failed${said ? `: ${said}` : '.'}`;
        reject(new WorkbenchError(options.status ?? 502, options.code ?? 'git-failed', message, { details: { exitCode: (err as { code?: unknown }).code }, params: { command: args[0], said: missing ? '' : said } }));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/**
 * `text` with every credential git may print taken out: the user and password of a URL
 * (`https://name:token@host/…` → `https://***@host/…`), and a token passed as an HTTP header.
 */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@').replace(/(authorization:\s*\w+\s+)\S+/gi, '$1***');
}
