import { createProject } from '../server/application/createWorkbench';
import { EDITION_WRITERS } from '../server/formats/formatRegistry';
import { makeProject, SMALL_DOC, type TestProject } from './helpers/project';

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
