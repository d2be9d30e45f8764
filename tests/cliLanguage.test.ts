import { spawn } from 'node:child_process';
import path from 'node:path';
import { cliOf } from '../scripts/cliIo';
import { environmentLanguage } from '../server/environmentLanguage';
import { main } from '../scripts/workbench';
import { makeProject, REPO_ROOT, type TestProject } from './helpers/project';

const AVAILABLE = ['en', 'es'];

describe('the language the CLI speaks, chosen as gettext programs choose theirs', () => {
  it.each([
    [{}, 'en'],
    [{ LANG: 'es_ES.UTF-8' }, 'es'],
    [{ LANG: 'es_MX.UTF-8' }, 'es'],
    [{ LANG: 'es' }, 'es'],
    [{ LANG: 'de_DE.UTF-8' }, 'en'],
    [{ LANG: 'C.UTF-8' }, 'en'],
    [{ LANG: 'POSIX' }, 'en'],
    [{ LANG: 'es_ES.UTF-8', LC_ALL: 'C' }, 'en'],
    [{ LANG: 'en_GB.UTF-8', LC_MESSAGES: 'es_ES.UTF-8' }, 'es'],
    [{ LANG: 'es_ES.UTF-8', LC_ALL: 'en_US.UTF-8' }, 'en'],
    // LANGUAGE, a list by preference, is read unless the locale is C (as gettext does).
    [{ LANG: 'fr_FR.UTF-8', LANGUAGE: 'fr:es' }, 'es'],
    [{ LANG: 'es_ES.UTF-8', LANGUAGE: 'en' }, 'en'],
    [{ LANG: 'C', LANGUAGE: 'es' }, 'en'],
    [{ LANG: 'es_ES.UTF-8@euro' }, 'es'],
    [{ LANG: '!!not a locale', LANGUAGE: '::' }, 'en'],
  ])('%j → %s', (env, expected) => {
    expect(environmentLanguage(env, AVAILABLE)).toBe(expected);
  });

  it('writes numbers as the language does', () => {
    const io = { out: () => undefined, err: () => undefined };
    expect(cliOf({ ...io, env: { LANG: 'es_ES.UTF-8' } }, REPO_ROOT).number(16200)).toBe('16.200');
    expect(cliOf({ ...io, env: {} }, REPO_ROOT).number(16200)).toBe('16,200');
  });
});

describe('the CLI in Spanish', () => {
  let project: TestProject;
  beforeEach(() => {
    project = makeProject();
  });
  afterEach(() => project.cleanup());

  async function run(env: NodeJS.ProcessEnv, tty: boolean, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t), env: { WORKBENCH_DATA: project.dir, ...env }, errIsTTY: tty });
    return { code, out, err };
  }
  const spanish = { LANG: 'es_ES.UTF-8' };

  it('says what it did, its progress, its errors and its usage in the language of the environment', async () => {
    expect(await run(spanish, false, 'new-locale', 'fr')).toMatchObject({ code: 0, out: 'Empezado francés (fr) para small: locales/fr/small.xlf\n' });
    const status = await run(spanish, false, 'status');
    expect(status.out).toContain('small  A small text  (8 párrafos, ');
    expect(status.out).toMatch(/fr\s+francés\s+sin traducir\s+8 {2}traducidos\s+0 {2}aprobados\s+0\s+0\s% de las palabras/);

    project.write('v2.md', project.read('source/small.md').replace('The second paragraph.', 'The second paragraph, changed.'));
    const updated = await run(spanish, true, 'update-source', 'small', path.join(project.dir, 'v2.md'));
    expect(updated.code).toBe(0);
    expect(updated.err).toContain('\r\x1b[KLeyendo v2.md…');
    expect(updated.err).toContain('\r\x1b[KAlineando el nuevo texto de small con la versión 1 (8 párrafos)…');
    expect(updated.err).toContain('\r\x1b[KEscribiendo la versión 2 y poniendo fr al día…');
    expect(updated.err).toContain('\r\x1b[Kfr está en la versión 2 (1 de 1)');
    expect(updated.out).toMatch(/^small: versión 2: \d+ sin cambios, 0 movidos, 0 menores, 1 editados, .*\n {2}fr: 0 desfasados\n$/);

    // An error with its values, in the words the web interface uses for it.
    expect(await run(spanish, false, 'drift', '--doc', 'nope')).toMatchObject({ code: 1, err: 'workbench: No hay ningún documento «nope».\n' });
    // A file named on the command line that cannot be read, said in the user's words.
    const missing = path.join(project.dir, 'missing.md');
    expect(await run(spanish, false, 'update-source', 'small', missing)).toMatchObject({ code: 1, err: `workbench: No se puede leer ${missing}: no existe ese archivo.\n` });
    expect(await run(spanish, false, 'align', 'small', 'fr', missing)).toMatchObject({ code: 1, err: `workbench: No se puede leer ${missing}: no existe ese archivo.\n` });
    expect(await run(spanish, false, 'import-xliff', project.dir)).toMatchObject({ code: 1, err: `workbench: No se puede leer ${project.dir}: es una carpeta.\n` });
    expect((await run({}, false, 'update-source', 'small', missing)).err).toBe(`workbench: Cannot read ${missing}: there is no such file (ENOENT).\n`);
    // A usage error, then the usage, in Spanish (exit 2).
    const usage = await run(spanish, false, 'frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^Orden desconocida: "frobnicate"\.\n\nUso: workbench <orden> \[opciones\]\n/);

    // A malformed option, named in the user's words (Node's parser says it in English only).
    expect(await run(spanish, false, 'status', '--frob')).toMatchObject({ code: 2, err: expect.stringMatching(/^Opción desconocida: --frob\.\n\nUso: /) });
    expect(await run(spanish, false, 'drift', '--doc')).toMatchObject({ code: 2, err: expect.stringMatching(/^La opción --doc necesita un valor\.\n\nUso: /) });
    expect((await run({}, false, 'status', '--json=yes')).err).toMatch(/^The option --json takes no value\.\n\nUsage: /);

    // The same commands in English where the environment asks for none.
    expect((await run({}, false, 'drift', '--doc', 'nope')).err).toBe('workbench: There is no document "nope".\n');
    expect((await run({ LANG: 'C.UTF-8', LANGUAGE: 'es' }, false, 'status')).out).toContain('(8 paragraphs, ');
  });
});

describe('a closed pipe', () => {
  it('ends the output quietly: no EPIPE stack trace, the command exits as it would have', async () => {
    // What `workbench --help | head -1` does: the reader is gone before the CLI writes.
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'scripts', 'workbench.js'), '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
