import path from 'node:path';
import { createWorkbench } from '../server/application/createWorkbench';
import { Workbench } from '../server/application/workbench';
import { createFileLocaleStore, type LocaleStore } from '../server/storage/localeStore';
import { createFileSourceRepository } from '../server/storage/sourceRepository';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { isWorkbenchError } from '../server/errors';
import { closeProjectLock, localLock } from '../server/storage/projectLock';
import { makeProject, type TestProject } from './helpers/project';

// Saves racing a source update in the same process: a save planned on the old version of the
// document must not write the old version's units back into a file the update has moved on
// (a paragraph just deleted would come back as an empty unit, and go out to other tools).

const paragraphs = (n: number, skip: (i: number) => boolean = () => false) =>
  Array.from({ length: n }, (_, i) => i)
    .filter((i) => !skip(i))
    .map((i) => `Paragraph number ${i} of the text, long enough to be itself and no other one, with words ${'abcdefghij'[i % 10]}${i}.`)
    .join('\n\n');

const V1 = `# A text\n\n${paragraphs(200)}\n`;
// Version 2 deletes every tenth paragraph.
const deleted = (i: number) => i % 10 === 3;
const V2 = `# A text\n\n${paragraphs(200, deleted)}\n`;

let project: TestProject;
beforeEach(() => {
  project = makeProject({ 'doc.md': V1 });
});
afterEach(() => {
  closeProjectLock(project.dir);
  project.cleanup();
});

/** A workbench whose locale file changes wait for `gate` first: a save held between its plan and its write. */
function workbenchWithHeldSaves(dir: string, gate: Promise<void>): Workbench {
  const lock = localLock();
  const records = projectRecords(dir);
  const locales = createFileLocaleStore({ dir: path.join(dir, 'locales'), lock });
  const held: LocaleStore = {
    ...locales,
    prepareUpdate: async (document, lang, change) => gate.then(() => locales.prepareUpdate(document, lang, change)),
    prepareUnitChanges: async (document, lang, change) => gate.then(() => locales.prepareUnitChanges(document, lang, change)),
  };
  return new Workbench({ sources: createFileSourceRepository({ dir: path.join(dir, 'source'), lock }), locales: held, history: records.history, discussions: records.discussions, lock });
}

describe('a save racing a source update', () => {
  it('planned on the old version and written after the update, is planned again: no deleted paragraph comes back', async () => {
    await createWorkbench(project.dir).startLocale('doc', 'es');
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const workbench = workbenchWithHeldSaves(project.dir, gate);
    const v1 = await workbench.document('doc');
    const number = (text: string) => Number(/Paragraph number (\d+) /.exec(text)?.[1] ?? -1);
    const gone = v1.segments.find((s) => deleted(number(s.text)))!.id;
    const kept = v1.segments.find((s) => number(s.text) === 5)!.id;
    // Both saves load version 1 and wait at the file; the update (its own writes go through) comes in between.
    const saveGone = workbench.translations.saveTarget('doc', 'es', gone, { target: 'Borrado', baseRevision: 0 });
    const saveKept = workbench.translations.saveTarget('doc', 'es', kept, { target: 'Conservado', baseRevision: 0 });
    saveGone.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    const report = await createWorkbench(project.dir).updateSource('doc', Buffer.from(V2), { name: 'doc.md', force: true });
    expect(report.changed).toBe(true);
    open();
    await expect(saveGone).rejects.toMatchObject({ status: 404, code: 'segment-not-found' });
    await expect(saveKept).resolves.toMatchObject({ segment: { id: kept, target: 'Conservado' } });

    const context = await createWorkbench(project.dir).locale('doc', 'es');
    const live = new Set(context.document.segments.map((s) => s.id));
    expect(context.file.units.map((u) => u.id).filter((id) => !live.has(id))).toEqual([]);
    expect(context.units.has(gone)).toBe(false);
    expect(context.units.get(kept)?.target).toBe('Conservado');
  });

  it('under many saves at once, never brings back a unit for a deleted paragraph, and loses no save it acknowledged', async () => {
    const workbench = createWorkbench(project.dir);
    await workbench.startLocale('doc', 'es');
    const v1 = await workbench.document('doc');
    const ids = v1.segments.filter((s) => s.translatable).map((s) => s.id);
    const goneIds = new Set(v1.segments.filter((s) => /Paragraph number (\d+) /.test(s.text) && deleted(Number(/Paragraph number (\d+) /.exec(s.text)![1]))).map((s) => s.id));
    expect(goneIds.size).toBe(20);

    const acked = new Map<string, string>();
    const refusals: string[] = [];
    const save = async (id: string, round: number) => {
      const target = `Traducción ${round} de ${id}`;
      try {
        const current = (await workbench.listSegments('doc', 'es', { limit: 1000 })).segments.find((s) => s.id === id);
        if (!current) return; // deleted by now: the editor no longer sees it
        await workbench.translations.saveTarget('doc', 'es', id, { target, baseRevision: current.revision });
        acked.set(id, target);
      } catch (err) {
        if (!isWorkbenchError(err)) throw err;
        refusals.push(err.code);
      }
    };
    // Saves of every paragraph, before, during and after the update.
    const saves = ids.map((id, i) => save(id, i % 3));
    const update = workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md', force: true });
    const more = ids.map((id) => save(id, 9));
    const report = await update;
    await Promise.all([...saves, ...more]);

    expect(report.changed).toBe(true);
    const again = createWorkbench(project.dir);
    const context = await again.locale('doc', 'es');
    const live = new Set(context.document.segments.map((s) => s.id));
    // The file holds the paragraphs of version 2 only.
    expect(context.file.units.map((u) => u.id).filter((id) => !live.has(id))).toEqual([]);
    expect(context.file.sourceVersion).toBe(2);
    // Every acknowledged save of a paragraph still there is in the file (the last one of it).
    for (const [id, target] of acked) {
      if (goneIds.has(id)) continue;
      expect({ id, target: context.units.get(id)?.target }).toEqual({ id, target });
    }
    // A paragraph deleted with a translation keeps it in the archive.
    const archived = new Set((await again.removedUnits('doc', 'es')).map((u) => u.id.replace(/@\d+$/, '')));
    for (const id of goneIds) if (acked.has(id)) expect(archived.has(id)).toBe(true);
    // Saves refused were refused for what the update did, each with its reason.
    expect(new Set(refusals)).toEqual(new Set(refusals.filter((code) => ['segment-not-found', 'revision-conflict'].includes(code))));
  });
});
