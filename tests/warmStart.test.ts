import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createWorkbench } from '../server/application/createWorkbench';
import { warmingOrder } from '../server/application/workbench';
import { makeProject, SMALL_DOC } from './helpers/project';

// A server loads the documents before it answers (Workbench.warm), within a budget, and a document
// that cannot be read does not stop it: the page that asks for it says why.

describe('warming the documents at start', () => {
  it('loads the locales people saved in last first, then those with most history, then the largest', () => {
    const order = warmingOrder([
      { code: 'de', lastAt: '', count: 0, size: 9_000_000 },
      { code: 'es', lastAt: '', count: 0, size: 18_000_000 },
      { code: 'fr', lastAt: '2026-12-01T10:00:00.000Z', count: 3, size: 100 },
      { code: 'it', lastAt: '2026-12-02T10:00:00.000Z', count: 1, size: 100 },
      { code: 'pt', lastAt: '', count: 5, size: 100 },
    ]).map((l) => l.code);
    expect(order).toEqual(['it', 'fr', 'pt', 'es', 'de']);
  });

  it('goes on past a locale file that cannot be read', async () => {
    const project = makeProject({ 'small.md': SMALL_DOC });
    try {
      const workbench = createWorkbench(project.dir);
      await workbench.startLocale('small', 'es');
      await workbench.startLocale('small', 'fr');
      writeFileSync(path.join(project.localesDir, 'es', 'small.xlf'), '<xliff');
      await expect(createWorkbench(project.dir).warm(5000)).resolves.toBeUndefined();
      await expect(workbench.locale('small', 'fr')).resolves.toMatchObject({ locale: { code: 'fr' } });
    } finally {
      project.cleanup();
    }
  });

  it('loads every document it has time for, and leaves a broken one for its page to report', async () => {
    const project = makeProject({ 'small.md': SMALL_DOC, 'broken.md': '---\ntitle: [unclosed\n---\n\nText.\n', 'other.md': '# Other\n\nA paragraph.\n' });
    try {
      const workbench = createWorkbench(project.dir);
      await expect(workbench.warm(5000)).resolves.toBeUndefined();
      // The readable documents were loaded and kept; the broken one still says what is wrong.
      await expect(workbench.document('small')).resolves.toMatchObject({ id: 'small' });
      await expect(workbench.document('broken')).rejects.toMatchObject({ code: 'front-matter-invalid' });
    } finally {
      project.cleanup();
    }
  });
});
