import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { main } from '../scripts/workbench';
import { makeProject, REPO_ROOT, type TestProject } from './helpers/project';
import { validateXliff12 } from './helpers/xmllint';

let project: TestProject;
beforeEach(() => {
  project = makeProject();
});
afterEach(() => project.cleanup());

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t), env: { WORKBENCH_DATA: project.dir } });
  return { code, out, err };
}

describe('workbench CLI', () => {
  it('new-locale starts a language (the only document is the default) and writes a valid XLIFF file', async () => {
    const result = await run('new-locale', 'es');
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('locales/es/small.xlf');
    expect(validateXliff12(path.join(project.localesDir, 'es', 'small.xlf')).valid).toBe(true);
  });

  it('status --json prints documents × locales with counts', async () => {
    await run('new-locale', 'fr', '--doc', 'small');
    const result = await run('status', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({
      documents: [
        expect.objectContaining({
          id: 'small',
          title: 'A small text',
          segments: 8,
          locales: [expect.objectContaining({ code: 'fr', untranslated: 8, translated: 0, approved: 0 })],
        }),
      ],
    });
  });

  it('status prints a table people can read', async () => {
    await run('new-locale', 'es');
    const result = await run('status');
    expect(result.out).toMatch(/small\s+A small text\s+\(8 paragraphs/);
    expect(result.out).toMatch(/es\s+Spanish\s+untranslated\s+8\s+translated\s+0\s+approved\s+0\s+0% of words/);
  });

  it('refuses a bad tag, an unknown document and an existing locale with a message and exit 1', async () => {
    expect(await run('new-locale', '../x')).toMatchObject({ code: 1, err: expect.stringMatching(/not a language tag/) });
    expect(await run('new-locale', 'es', '--doc', 'nope')).toMatchObject({ code: 1, err: expect.stringMatching(/no document "nope"/) });
    await run('new-locale', 'es');
    expect(await run('new-locale', 'es')).toMatchObject({ code: 1, err: expect.stringMatching(/already/) });
  });

  it('answers usage errors with exit 2 and the usage text', async () => {
    expect(await run('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('Usage: workbench') });
    expect(await run('new-locale')).toMatchObject({ code: 2 });
    expect(await run('status', '--bogus')).toMatchObject({ code: 2 });
    expect(await run()).toMatchObject({ code: 2 });
    expect(await run('--help')).toMatchObject({ code: 0, out: expect.stringContaining('new-locale') });
  });

  it('runs as the built `workbench` binary', () => {
    const bin = path.join(REPO_ROOT, 'dist/scripts/workbench.js');
    const result = spawnSync(process.execPath, [bin, 'status', '--json', '--data', project.dir], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).documents[0].id).toBe('small');
  });
});

describe('workbench CLI: sources and drift', () => {
  const write = (name: string, content: string | Buffer) => {
    project.write(name, content as string);
    return path.join(project.dir, name);
  };

  it('import adds a document; update-source records a version; drift exits 1 while anything is drifted', async () => {
    const v1 = write('in/essay.md', '# Essay\n\nThe editor rewrites one clause of this paragraph entirely.\n\nA paragraph that stays.\n');
    expect(await run('import', v1, '--by', 'an editor')).toMatchObject({ code: 0, out: expect.stringContaining('Imported essay (3 paragraphs) as version 1') });
    await run('new-locale', 'es', '--doc', 'essay');
    // With nothing translated there is nothing drifted: the gate is open.
    expect((await run('drift', '--doc', 'essay')).code).toBe(0);

    const { createWorkbench } = await import('../server/application/createWorkbench');
    const workbench = createWorkbench(project.dir);
    for (const s of (await workbench.listSegments('essay', 'es')).segments) await workbench.translations.saveTarget('essay', 'es', s.id, { target: `ES ${s.source}`, baseRevision: 0 });

    const v2 = write('in/essay-2.md', '# Essay\n\nThe author rewrote a whole clause of this paragraph.\n\nA paragraph that stays.\n');
    const update = await run('update-source', 'essay', v2);
    expect(update).toMatchObject({ code: 0 });
    expect(update.out).toContain('essay: version 2: 2 unchanged, 0 moved, 0 minor, 1 edited');
    expect(update.out).toContain('es: 1 drifted');

    const drift = await run('drift', '--doc', 'essay', '--json');
    expect(drift.code).toBe(1);
    expect(JSON.parse(drift.out)).toMatchObject({ drifted: true, documents: [{ document: 'essay', version: 2, locales: [{ code: 'es', drifted: [{ source: 'The author rewrote a whole clause of this paragraph.' }], untranslated: 0, removed: 0 }] }] });
    expect((await run('drift', '--locale', 'es')).out).toContain('es: 1 drifted, 0 untranslated, 0 removed');

    const status = JSON.parse((await run('status', '--json')).out);
    expect(status.documents.find((d: { id: string }) => d.id === 'essay').locales[0]).toMatchObject({ code: 'es', drifted: 1, translated: 2 });
  });

  it('update-source refuses bad files with a message and exit 1, changing nothing', async () => {
    const before = project.read('source/small.md');
    expect(await run('update-source', 'small', write('empty.md', ''))).toMatchObject({ code: 1, err: expect.stringMatching(/empty/) });
    expect(await run('update-source', 'small', write('bin.md', Buffer.from([1, 0, 2]) as unknown as string))).toMatchObject({ code: 1, err: expect.stringMatching(/binary/) });
    expect(await run('update-source', 'small', path.join(project.dir, 'missing.md'))).toMatchObject({ code: 1, err: expect.stringMatching(/Cannot read/) });
    expect(await run('update-source', 'nope', write('ok.md', 'Text.\n'))).toMatchObject({ code: 1, err: expect.stringMatching(/no document "nope"/) });
    expect(await run('update-source', 'small')).toMatchObject({ code: 2 });
    expect(project.read('source/small.md')).toBe(before);
  });

  it('update-source refuses to remove most translations unless --force', async () => {
    await run('new-locale', 'es');
    const { createWorkbench } = await import('../server/application/createWorkbench');
    const workbench = createWorkbench(project.dir);
    for (const s of (await workbench.listSegments('small', 'es')).segments) await workbench.translations.saveTarget('small', 'es', s.id, { target: 'x', baseRevision: 0 });
    const tiny = write('tiny.md', '# Only\n\nA single new paragraph.\n');
    expect(await run('update-source', 'small', tiny)).toMatchObject({ code: 1, err: expect.stringMatching(/would remove \d+ of the 8 translated paragraphs of es/) });
    expect(await run('update-source', 'small', tiny, '--force')).toMatchObject({ code: 0 });
  });
});

describe('progress of long work', () => {
  async function runOnTerminal(tty: boolean, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t), env: { WORKBENCH_DATA: project.dir }, errIsTTY: tty });
    return { code, out, err };
  }

  it('update-source and export show a progress line on a terminal, rewritten in place and cleared at the end', async () => {
    await runOnTerminal(false, 'new-locale', 'es');
    await runOnTerminal(false, 'new-locale', 'fr');
    project.write('v2.md', project.read('source/small.md').replace('The second paragraph.', 'The second paragraph, changed.'));
    const updated = await runOnTerminal(true, 'update-source', 'small', path.join(project.dir, 'v2.md'));
    expect(updated.code).toBe(0);
    expect(updated.err).toContain('\r\x1b[KAligning the new text of small with version 1 (8 paragraphs)…');
    expect(updated.err).toContain('\r\x1b[KWriting version 2 and bringing es and fr up to it…');
    // The locales are brought up side by side: each one says when it is done, in the order they finish.
    const lines = updated.err.split('\r\x1b[K');
    expect(lines.slice(-3)).toEqual([expect.stringMatching(/^(es|fr) is at version 2 \(1 of 2\)$/), expect.stringMatching(/^(es|fr) is at version 2 \(2 of 2\)$/), '']);
    expect(updated.err.endsWith('\r\x1b[K')).toBe(true);
    expect(updated.out).toContain('version 2');
    const exported = await runOnTerminal(true, 'export', '--locale', 'es', '--format', 'txt', '--draft', '--out', path.join(project.dir, 'small.txt'));
    expect(exported.err).toBe('\r\x1b[KMaking the txt of small (es)…\r\x1b[K');
  });

  it('import-xliff and align show theirs: reading the file, then merging or aligning it', async () => {
    await runOnTerminal(false, 'new-locale', 'es');
    const { createWorkbench } = await import('../server/application/createWorkbench');
    const workbench = createWorkbench(project.dir);
    const [first] = (await workbench.listSegments('small', 'es')).segments;
    await workbench.translations.saveTarget('small', 'es', first.id, { target: 'Un texto pequeño', baseRevision: 0 });
    await workbench.keepCaches();
    const xlf = path.join(project.dir, 'es.xlf');
    expect((await runOnTerminal(false, 'export', '--locale', 'es', '--format', 'xliff', '--out', xlf)).code).toBe(0);
    const imported = await runOnTerminal(true, 'import-xliff', xlf, '--dry-run');
    expect(imported.code).toBe(0);
    expect(imported.err).toBe('\r\x1b[KReading es.xlf…\r\x1b[KMerging es.xlf into small (es)…\r\x1b[K');
    // A published translation (here the text itself, its words reversed) brought into a language.
    project.write('published.md', project.read('source/small.md').replace(/[A-Za-z]+/g, (word) => [...word].reverse().join('')));
    const aligned = await runOnTerminal(true, 'align', 'small', 'fr', path.join(project.dir, 'published.md'), '--dry-run');
    expect(aligned.code).toBe(0);
    expect(aligned.err).toBe('\r\x1b[KAligning published.md with small (fr)…\r\x1b[K');
    expect(aligned.out).toMatch(/^published\.md → small \(fr\): \d+ links between/);
  });

  it('prints nothing of it where standard error is not a terminal (a pipe, a log)', async () => {
    await runOnTerminal(false, 'new-locale', 'es');
    project.write('v2.md', project.read('source/small.md').replace('The second paragraph.', 'The second paragraph, changed.'));
    const updated = await runOnTerminal(false, 'update-source', 'small', path.join(project.dir, 'v2.md'));
    expect(updated).toMatchObject({ code: 0, err: '' });
  });
});
