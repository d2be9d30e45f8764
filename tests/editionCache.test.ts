import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { APP_ROOT } from '../server/appRoot';
import { createProject } from '../server/application/createWorkbench';
import { createI18n } from '../server/i18n';
import { EDITION_WRITERS } from '../server/formats/formatRegistry';
import { fileStamp } from '../server/storage/fileIdentity';
import { makeProject, SMALL_DOC, type TestProject } from './helpers/project';
import { makeTempDir } from './helpers/tempDir';

// An edition is made once per state of its locale: readers exporting the same state again get the
// same file without the work of making it, and any change to what it is made of makes a new one.

let project: TestProject;
beforeEach(() => {
  project = makeProject({ 'small.md': SMALL_DOC });
});
afterEach(() => {
  jest.restoreAllMocks();
  project.cleanup();
});

describe('the edition cache', () => {
  it('makes an edition once per state: the same file again, a new one after a save or a new title', async () => {
    const { workbench, editions } = createProject(project.dir);
    await workbench.startLocale('small', 'es');
    const made = jest.spyOn(EDITION_WRITERS.html, 'write');
    const first = await editions.export('small', 'es', 'html', { draft: true });
    const again = await editions.export('small', 'es', 'html', { draft: true });
    expect(Buffer.from(again.body).equals(Buffer.from(first.body))).toBe(true);
    expect(made).toHaveBeenCalledTimes(1);
    // Another format, or the same as a finished edition, is another file.
    await editions.export('small', 'es', 'md', { draft: true });
    expect(made).toHaveBeenCalledTimes(1);

    const segment = (await workbench.document('small')).segments.find((s) => s.translatable)!;
    await workbench.translations.saveTarget('small', 'es', segment.id, { target: 'Primera parte', baseRevision: 0 });
    const saved = await editions.export('small', 'es', 'html', { draft: true });
    expect(made).toHaveBeenCalledTimes(2);
    expect(Buffer.from(saved.body).toString()).toContain('Primera parte');

    await editions.setTitle('small', 'es', 'Un texto pequeño');
    const titled = await editions.export('small', 'es', 'html', { draft: true });
    expect(made).toHaveBeenCalledTimes(3);
    expect(Buffer.from(titled.body).toString()).toContain('Un texto pequeño');
    await editions.export('small', 'es', 'html', { draft: true });
    expect(made).toHaveBeenCalledTimes(3);
  });

  it('records the exports of people signed in only', async () => {
    const { workbench, editions, records } = createProject(project.dir);
    await workbench.startLocale('small', 'es');
    await editions.export('small', 'es', 'txt', { draft: true });
    await editions.export('small', 'es', 'txt', { draft: true, who: 'ana' });
    expect((await records.editions.read('small', 'es')).exports).toEqual([expect.objectContaining({ who: 'ana', format: 'txt', draft: true })]);
  });
});

describe('editions kept between processes', () => {
  const keptFiles = () => {
    const dir = path.join(project.dir, '.cache', 'editions');
    return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')) : [];
  };
  const settle = async (count: number) => {
    for (let i = 0; i < 300 && keptFiles().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('gives the next process the same file for the same state, without making it; a save makes a new one', async () => {
    const first = createProject(project.dir);
    await first.workbench.startLocale('small', 'es');
    const exported = await first.editions.export('small', 'es', 'html', { draft: true, who: 'ana' });
    await settle(1);
    expect(keptFiles()).toHaveLength(1);

    const made = jest.spyOn(EDITION_WRITERS.html, 'write');
    const next = createProject(project.dir);
    const again = await next.editions.export('small', 'es', 'html', { draft: true, who: 'ana' });
    expect(made).not.toHaveBeenCalled();
    expect(Buffer.from(again.body).equals(Buffer.from(exported.body))).toBe(true);
    // Recorded as an export all the same.
    expect((await next.records.editions.read('small', 'es')).exports).toHaveLength(2);

    // A kept file that was cut short is made again.
    const [name] = keptFiles();
    const file = path.join(project.dir, '.cache', 'editions', name);
    writeFileSync(file, readFileSync(file).subarray(0, readFileSync(file).length - 10));
    await createProject(project.dir).editions.export('small', 'es', 'html', { draft: true });
    expect(made).toHaveBeenCalledTimes(1);

    const segment = (await next.workbench.document('small')).segments.find((s) => s.translatable)!;
    await next.workbench.translations.saveTarget('small', 'es', segment.id, { target: 'Primera parte', baseRevision: 0 });
    const saved = await createProject(project.dir).editions.export('small', 'es', 'html', { draft: true });
    expect(made).toHaveBeenCalledTimes(2);
    expect(Buffer.from(saved.body).toString()).toContain('Primera parte');
  });

  it("finds the next process's kept edition without reading the document, by the version kept beside it; a source edited since is read first", async () => {
    const first = createProject(project.dir);
    await first.workbench.startLocale('small', 'es');
    const exported = await first.editions.export('small', 'es', 'html', { draft: true, who: 'ana' });
    await settle(1);
    // A process reading the document from its files keeps it, and its version, for the next one
    // (the first one wrote them: what it read is not what is there now).
    await createProject(project.dir).workbench.document('small');
    const version = path.join(project.dir, '.cache', 'sources', 'small.version.json');
    for (let i = 0; i < 300 && !existsSync(version); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(readFileSync(version, 'utf8').split('\n')[1]).toBe('1');

    const made = jest.spyOn(EDITION_WRITERS.html, 'write');
    const next = createProject(project.dir);
    const read = jest.spyOn(next.workbench, 'document');
    const again = await next.editions.export('small', 'es', 'html', { draft: true, who: 'ana' });
    expect(read).not.toHaveBeenCalled();
    expect(made).not.toHaveBeenCalled();
    expect(Buffer.from(again.body).equals(Buffer.from(exported.body))).toBe(true);
    expect(again.record).toMatchObject({ sourceVersion: 1, who: 'ana' });

    // A number kept wrongly is not taken: the document is read, and its edition is the kept one.
    const [stampLine, kept] = readFileSync(version, 'utf8').split('\n');
    for (const planted of ['0', '1.5', '"1"', 'null', '{']) {
      writeFileSync(version, `${stampLine}\n${planted}`);
      const other = createProject(project.dir);
      expect(await other.workbench.keptVersion('small')).toBeUndefined();
      const same = await other.editions.export('small', 'es', 'html', { draft: true });
      expect(Buffer.from(same.body).equals(Buffer.from(exported.body))).toBe(true);
    }
    expect(made).not.toHaveBeenCalled();
    writeFileSync(version, `${stampLine}\n${kept}`);
    expect(await createProject(project.dir).workbench.keptVersion('small')).toBe(1);

    // The source edited on disk: its files have another stamp, so the kept number is not taken;
    // the document is read (its new version recorded) and the edition made of it.
    project.write('source/small.md', `${SMALL_DOC}\nA paragraph added by hand.\n`);
    const edited = createProject(project.dir);
    expect(await edited.workbench.keptVersion('small')).toBeUndefined();
    const readEdited = jest.spyOn(edited.workbench, 'document');
    const fresh = await edited.editions.export('small', 'es', 'html', { draft: true, who: 'ana' });
    expect(readEdited).toHaveBeenCalled();
    expect(made).toHaveBeenCalledTimes(1);
    expect(fresh.record.sourceVersion).toBe(2);
    expect(Buffer.from(fresh.body).toString()).toContain('A paragraph added by hand.');
  });

  it("keeps the hash of the locale file under the file's stamp: the next process takes it instead of reading the file, until the file is written again", async () => {
    const first = createProject(project.dir);
    await first.workbench.startLocale('small', 'es');
    await first.editions.export('small', 'es', 'html', { draft: true });
    const locale = path.join(project.localesDir, 'es', 'small.xlf');
    const kept = path.join(project.dir, '.cache', 'editions', 'hashes', 'small.es.json');
    for (let i = 0; i < 1000 && !existsSync(kept); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const [stamp, value] = readFileSync(kept, 'utf8').split('\n');
    expect(stamp.endsWith(` ${fileStamp(statSync(locale))}`)).toBe(true);
    expect(JSON.parse(value)).toBe(createHash('sha256').update(readFileSync(locale)).digest('hex'));

    // Taken as it is: a planted hash is another state, whose edition is made.
    const made = jest.spyOn(EDITION_WRITERS.html, 'write');
    writeFileSync(kept, `${stamp}\n${JSON.stringify('0'.repeat(64))}`);
    await createProject(project.dir).editions.export('small', 'es', 'html', { draft: true });
    expect(made).toHaveBeenCalledTimes(1);
    // The file written again with the same bytes: hashed again, the same state as the first export, not made.
    writeFileSync(locale, readFileSync(locale));
    await createProject(project.dir).editions.export('small', 'es', 'html', { draft: true });
    expect(made).toHaveBeenCalledTimes(1);
  });

  it('makes a new edition when the words it prints change (an interface catalog taken in), in this process and the next', async () => {
    const i18n = createI18n(APP_ROOT);
    const first = createProject(project.dir, { i18n });
    await first.workbench.startLocale('small', 'es');
    const exported = await first.editions.export('small', 'es', 'html', { draft: true });
    expect(Buffer.from(exported.body).toString()).toContain('BORRADOR');
    await settle(1);

    // The Spanish catalog's word for a draft changed (as `workbench ui-xliff import` changes it), in this process…
    const made = jest.spyOn(EDITION_WRITERS.html, 'write');
    i18n.addResource('es', 'ui', 'editionText.draft', 'BORRADOR DE PRUEBA');
    const changed = await first.editions.export('small', 'es', 'html', { draft: true });
    expect(made).toHaveBeenCalledTimes(1);
    expect(Buffer.from(changed.body).toString()).toContain('BORRADOR DE PRUEBA');
    // …and in the next one, which finds the first edition kept.
    const otherWords = createI18n(APP_ROOT);
    otherWords.addResource('es', 'ui', 'editionText.draft', 'BORRADOR OTRA VEZ');
    const next = await createProject(project.dir, { i18n: otherWords }).editions.export('small', 'es', 'html', { draft: true });
    expect(made).toHaveBeenCalledTimes(2);
    expect(Buffer.from(next.body).toString()).toContain('BORRADOR OTRA VEZ');
    // The catalog as it was: the edition kept first, not made again.
    const same = await createProject(project.dir, { i18n: createI18n(APP_ROOT) }).editions.export('small', 'es', 'html', { draft: true });
    expect(made).toHaveBeenCalledTimes(2);
    expect(Buffer.from(same.body).equals(Buffer.from(exported.body))).toBe(true);
  });

  it("makes a new edition when the templates are not those of the process that kept it", async () => {
    const roots = [makeTempDir('templates-a'), makeTempDir('templates-b')];
    try {
      for (const root of roots) cpSync(path.join(APP_ROOT, 'views', 'edition'), path.join(root.dir, 'views', 'edition'), { recursive: true });
      // The second copy's page template changed by hand.
      const page = path.join(roots[1].dir, 'views', 'edition', 'html.ejs');
      writeFileSync(page, readFileSync(page, 'utf8').replace('</body>', '<p>A template changed by hand.</p>\n</body>'));
      const i18n = createI18n(APP_ROOT);
      const first = createProject(project.dir, { i18n, appRoot: roots[0].dir });
      await first.workbench.startLocale('small', 'es');
      const exported = await first.editions.export('small', 'es', 'html', { draft: true });
      await settle(1);

      const made = jest.spyOn(EDITION_WRITERS.html, 'write');
      const changed = await createProject(project.dir, { i18n, appRoot: roots[1].dir }).editions.export('small', 'es', 'html', { draft: true });
      expect(made).toHaveBeenCalledTimes(1);
      expect(Buffer.from(changed.body).toString()).toContain('A template changed by hand.');
      // The same templates as the first process: its edition, kept.
      const same = await createProject(project.dir, { i18n, appRoot: roots[0].dir }).editions.export('small', 'es', 'html', { draft: true });
      expect(made).toHaveBeenCalledTimes(1);
      expect(Buffer.from(same.body).equals(Buffer.from(exported.body))).toBe(true);
    } finally {
      for (const root of roots) root.cleanup();
    }
  });
});
