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
