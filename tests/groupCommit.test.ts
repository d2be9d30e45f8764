import { createWorkbench } from '../server/application/createWorkbench';
import { isWorkbenchError } from '../server/errors';
import { makeManifestoProject, type TestProject } from './helpers/project';
import { createProject } from '../server/application/createWorkbench';

// Saves to one locale that arrive while its file is being written are written together (group
// commit): each acknowledged only once durable, with its own history entry; a stale one is refused
// alone.

let project: TestProject;
beforeEach(() => {
  project = makeManifestoProject();
});
afterEach(() => project.cleanup());

describe('group commit of saves to one locale', () => {
  it('writes 60 saves made at once in far fewer writes of the file, and every one is there with its entry', async () => {
    const workbench = createWorkbench(project.dir);
    await workbench.startLocale('communard-manifesto', 'es');
    const ids = (await workbench.document('communard-manifesto')).segments.filter((s) => s.translatable).slice(0, 60).map((s) => s.id);
    const { records } = createProject(project.dir);
    const staged = jest.spyOn(records.history, 'stage');
    const answers = await Promise.all(ids.map((id, i) => workbench.translations.saveTarget('communard-manifesto', 'es', id, { target: `Traducción ${i}`, baseRevision: 0 }, 'ana')));
    expect(answers.map((a) => a.segment.target)).toEqual(ids.map((_, i) => `Traducción ${i}`));
    expect(answers.map((a) => a.segment.revision)).toEqual(ids.map(() => 1));
    // One write (and one staging of history) per batch, not per save.
    expect(staged.mock.calls.length).toBeLessThan(20);
    expect(staged.mock.calls.flatMap((call) => call[2]).length).toBe(60);

    const again = createWorkbench(project.dir);
    const units = (await again.locale('communard-manifesto', 'es')).units;
    for (const [i, id] of ids.entries()) expect(units.get(id)?.target).toBe(`Traducción ${i}`);
    const history = await records.history.list('communard-manifesto', 'es');
    expect(history.filter((e) => e.action === 'save' && e.who === 'ana')).toHaveLength(60);
  });

  it('refuses a stale save of a batch alone: the others of the batch are written', async () => {
    const workbench = createWorkbench(project.dir);
    await workbench.startLocale('communard-manifesto', 'es');
    const ids = (await workbench.document('communard-manifesto')).segments.filter((s) => s.translatable).slice(0, 10).map((s) => s.id);
    // The same paragraph twice from revision 0: the first wins, the second is stale.
    const results = await Promise.allSettled([...ids, ids[0]].map((id, i) => workbench.translations.saveTarget('communard-manifesto', 'es', id, { target: `T${i}`, baseRevision: 0 })));
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    const reason = (refused[0] as PromiseRejectedResult).reason;
    expect(isWorkbenchError(reason) && reason.code).toBe('revision-conflict');
    const units = (await createWorkbench(project.dir).locale('communard-manifesto', 'es')).units;
    expect(ids.map((id) => units.get(id)?.target)).toEqual(ids.map((_, i) => `T${i}`));
  });
});
