import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { makeManifestoProject, REPO_ROOT } from './helpers/project';

// `npm start` on a current build starts the server at once: no rebuild (it took ten seconds).

describe('npm start', () => {
  it('starts the built server without building again when the build is current', async () => {
    // npm test builds first; a source edited since (while the tests run) would make start.js build
    // again under the other tests' feet: said here instead.
    const { buildIsCurrent } = createRequire(__filename)(path.join(REPO_ROOT, 'scripts', 'start.js')) as { buildIsCurrent(): boolean };
    if (!buildIsCurrent()) throw new Error('The build is older than the sources: run npm run build (npm test does) and do not edit sources while the tests run.');
    const project = makeManifestoProject();
    // PORT=0: a port the system knows free, said on the first line (a random one may be another test's).
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'start.js')], { env: { ...process.env, WORKBENCH_DATA: project.dir, PORT: '0' } });
    const exited = new Promise((r) => child.once('exit', r));
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      let up = false;
      for (let i = 0; i < 400 && !up && child.exitCode === null; i++) {
        const port = /Translation workbench on http:\/\/localhost:(\d+)/.exec(out)?.[1];
        try {
          up = port !== undefined && (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) })).ok;
        } catch {
          // not answering yet
        }
        if (!up) await new Promise((r) => setTimeout(r, 25));
      }
      expect({ up, err }).toEqual({ up: true, err: '' });
      expect(out).not.toContain('building first');
    } finally {
      child.kill('SIGTERM');
      await exited; // set up before: a child that stopped on its own has already said so
      project.cleanup();
    }
  });
});

describe('the server as it starts', () => {
  it('says where it is and how to make the first account in the language of its environment', async () => {
    const project = makeManifestoProject();
    const env = { ...process.env, WORKBENCH_DATA: project.dir, PORT: '0', LANGUAGE: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'es_ES.UTF-8' };
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'server', 'server.js')], { env });
    const exited = new Promise((r) => child.once('exit', r));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      for (let i = 0; i < 400 && !out.includes('/setup/') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 25));
      expect(out).toMatch(/^Translation workbench en http:\/\/localhost:\d+ \(proyecto: .+\)\nAún no hay cuentas\. Abre este enlace una vez para crear la cuenta de administración: http:\/\/localhost:\d+\/setup\/\S+\n/);
    } finally {
      child.kill('SIGTERM');
      await exited;
      project.cleanup();
    }
  });
});
