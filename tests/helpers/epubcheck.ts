import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';

const MISSING =
  'epubcheck was not found on PATH. The EPUB tests need it: install the Debian package epubcheck (e.g. `sudo apt-get install epubcheck`, which brings a Java runtime).';

/** How to run epubcheck, or undefined when it is not installed. */
export function epubcheckCommand(): { command: string; args: string[] } | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'epubcheck');
    if (dir === '' || !existsSync(candidate)) continue;
    const file = realpathSync(candidate);
    // Debian's /usr/bin/epubcheck is the jar itself, run through jarwrapper's binfmt_misc entry,
    // which containers often lack: a jar is handed to java directly.
    return isZip(file) ? { command: 'java', args: ['-jar', file] } : { command: file, args: [] };
  }
  return undefined;
}

function isZip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    readSync(fd, head, 0, 2, 0);
    return head.toString('latin1') === 'PK';
  } finally {
    closeSync(fd);
  }
}

/** Throws a clear error when epubcheck is missing (tests must fail, not skip). */
export function requireEpubcheck(): void {
  if (!epubcheckCommand()) throw new Error(MISSING);
}

/** Checks an .epub file; `problems` are its WARNING, ERROR and FATAL lines. It takes seconds (a JVM starts): run several at once. */
export function runEpubcheck(file: string): Promise<{ status: number | null; output: string; problems: string[] }> {
  const found = epubcheckCommand();
  if (!found) return Promise.reject(new Error(MISSING));
  return new Promise((resolve, reject) => {
    const child = spawn(found.command, [...found.args, '--failonwarnings', file]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (cause) => reject(new Error(`${MISSING} (${cause.message})`, { cause })));
    child.on('close', (status) => resolve({ status, output, problems: output.split('\n').filter((line) => /^(WARNING|ERROR|FATAL)\b/.test(line)) }));
  });
}
