import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { createWorkbench } from '../server/application/createWorkbench';
import { closeProjectDatabase, projectDatabase } from '../server/storage/sql/openDatabase';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { createFileLocaleStore } from '../server/storage/localeStore';
import { projectLock } from '../server/storage/projectLock';
import type { Unit } from '../server/domain/types';
import { makeApp, type TestApp } from './helpers/app';
import { makeProject, SMALL_DOC, type TestProject } from './helpers/project';

// A translation and the history entry that says who wrote it have one commit point: the entry is
// staged (durable) before the file is replaced and confirmed after it. A stop between the two is
// settled against the file at the next start; a full disk refuses the save and changes nothing.

let project: TestProject;
beforeEach(() => {
  project = makeProject({ 'small.md': SMALL_DOC });
});
afterEach(() => project.cleanup());

const xliff = () => readFileSync(path.join(project.dir, 'locales', 'es', 'small.xlf'), 'utf8');

/** A save stopped part way, as a killed process leaves it: the entry staged, the file replaced or not, nothing confirmed. */
async function stoppedSave(id: string, target: string, fileReplaced: boolean): Promise<void> {
  const lock = projectLock(project.dir);
  const locales = createFileLocaleStore({ dir: path.join(project.dir, 'locales'), lock });
  await lock.hold(async () => {
    const prepared = await locales.prepareUpdate('small', 'es', (file) => {
      const unit = file.units.find((u) => u.id === id)!;
      Object.assign(unit, { target, state: 'translated', revision: unit.revision + 1 });
    });
    await projectRecords(project.dir).history.stage('small', 'es', [{ at: new Date().toISOString(), who: 'ana', segment: id, action: 'save', before: {}, after: { target, state: 'translated' } }]);
    if (fileReplaced) await prepared.commit();
    else await prepared.discard();
  });
  closeProjectDatabase(project.dir); // the process is gone: its batches are no longer under way
}

describe('a save and its history entry', () => {
  it('stopped after the file was replaced: the next start keeps the entry, so the translation has its author', async () => {
    const workbench = createWorkbench(project.dir);
    await workbench.startLocale('small', 'es');
    const id = (await workbench.document('small')).segments.find((s) => s.translatable)!.id;
    await stoppedSave(id, 'Hola', true);
    expect(await projectRecords(project.dir).history.list('small', 'es', id)).toEqual([]); // staged, not yet history

    const again = createWorkbench(project.dir);
    expect(await again.settleStagedHistory()).toEqual({ confirmed: 1, dropped: 0 });
    expect(await again.translations.lastAuthor('small', 'es', id)).toBe('ana');
    expect(await projectRecords(project.dir).history.leftStaged()).toEqual([]);
    // The rule against approving one's own translation sees it.
    expect((await again.locale('small', 'es')).units.get(id)?.target).toBe('Hola');
  });

  it('stopped before the file was replaced: the next start drops the entry of a change that did not happen', async () => {
    const workbench = createWorkbench(project.dir);
    await workbench.startLocale('small', 'es');
    const id = (await workbench.document('small')).segments.find((s) => s.translatable)!.id;
    const before = xliff();
    await stoppedSave(id, 'Hola', false);
    expect(await createWorkbench(project.dir).settleStagedHistory()).toEqual({ confirmed: 0, dropped: 1 });
    expect(await projectRecords(project.dir).history.list('small', 'es')).toEqual([]);
    expect(xliff()).toBe(before);
  });

  it('leaves the staged entries of a save under way in this process alone', async () => {
    const workbench = createWorkbench(project.dir);
    await workbench.startLocale('small', 'es');
    const staged = await projectRecords(project.dir).history.stage('small', 'es', [{ at: new Date().toISOString(), who: 'ana', segment: 'x', action: 'save', after: { target: 'Hola', state: 'translated' } }]);
    expect(await workbench.settleStagedHistory()).toEqual({ confirmed: 0, dropped: 0 });
    await staged.cancel();
    expect(await projectRecords(project.dir).history.leftStaged()).toEqual([]);
  });
});

describe('a save when the disk is full', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp(project);
  });

  it('is refused with 507 and changes neither the translation nor the history; once there is room it goes through', async () => {
    await t.api.post('/api/documents/small/locales').send({ code: 'es' }).expect(201);
    const segment = ((await t.api.get('/api/documents/small/locales/es/segments')).body as { segments: { id: string; revision: number }[] }).segments[0];
    const before = xliff();
    const db = projectDatabase(project.dir);
    // The database cannot grow, and its pages are full: what a full disk does to it.
    db.exec('CREATE TABLE filler (x BLOB)');
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 4}`);
    expect(() => {
      for (;;) db.prepare('INSERT INTO filler VALUES (randomblob(200))').run();
    }).toThrow(expect.objectContaining({ code: 'SQLITE_FULL' }));
    // A long translation: its entry needs pages of its own.
    const res = await t.api.put(`/api/documents/small/locales/es/segments/${segment.id}`).send({ target: 'Hola. '.repeat(3000), baseRevision: segment.revision });
    expect(res.status).toBe(507);
    expect(res.body.error).toMatchObject({ code: 'disk-full', message: expect.stringContaining('disk is full') });
    expect(xliff()).toBe(before);
    expect(await projectRecords(project.dir).history.list('small', 'es')).toEqual([]);

    db.exec('DROP TABLE filler');
    db.pragma('max_page_count = 1073741823');
    const ok = await t.api.put(`/api/documents/small/locales/es/segments/${segment.id}`).send({ target: 'Hola', baseRevision: segment.revision });
    expect(ok.status).toBe(200);
    expect(await projectRecords(project.dir).history.list('small', 'es', segment.id)).toEqual([expect.objectContaining({ who: 'admin', after: { target: 'Hola', state: 'translated' } })]);
  });
});

describe('the write-ahead log a journaled save syncs', () => {
  /** This process's descriptors open on the project's write-ahead log. */
  const walDescriptors = (): string[] =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        // A closed database's log is deleted: its link then ends in " (deleted)".
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(path.join(realpathSync(project.dir), 'workbench.db-wal'));
      } catch {
        return false; // the descriptor of the listing itself, closed meanwhile
      }
    });

  it('is kept open while the database is, and closed with it', async () => {
    const history = projectRecords(project.dir).history;
    const unit: Unit = { id: 'p1', source: 'Hello', target: 'Hola', state: 'translated', approved: false, revision: 1, notes: [] };
    await history.appendJournaled('small', 'es', [{ at: new Date().toISOString(), who: 'ana', segment: 'p1', action: 'save', after: { target: 'Hola', state: 'translated' } }], [unit]);
    const sqlite = walDescriptors().length;
    await history.appendJournaled('small', 'es', [{ at: new Date().toISOString(), who: 'ana', segment: 'p1', action: 'save', after: { target: 'Hola!', state: 'translated' } }], [unit]);
    expect(walDescriptors()).toHaveLength(sqlite); // opened once, not at every save
    closeProjectDatabase(project.dir);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(walDescriptors()).toEqual([]); // SQLite's own and the one kept for syncing
  });
});
