import { createWorkbench } from '../server/application/createWorkbench';
import { makeProject, SMALL_DOC } from './helpers/project';

// A server loads the documents before it answers (Workbench.warm), within a budget, and a document
// that cannot be read does not stop it: the page that asks for it says why.

describe('warming the documents at start', () => {
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
