/**
 * A sync's merge worked out ahead (see planMergeAhead): the three-way merge of a locale file as
 * unit changes of our commit's file, then put into the file as it is by then, with what was saved
 * meanwhile.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMergeAhead, mergeAheadHolds } from '../server/application/applyMergeAhead';
import type { LocaleFile, Unit } from '../server/domain/types';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { mergeAhead } from '../server/formats/mergeXliff12';
import { mergeAheadOffThread, withUnitsOffThread } from '../server/formats/mergeAheadOffThread';
import { type MergeAheadFile, planMergeAhead } from '../server/git/planMergeAhead';
import { GitRepository } from '../server/git/gitRepository';
import { createFileLocaleStore } from '../server/storage/localeStore';
import { localLock } from '../server/storage/projectLock';
import { isWorkbenchError } from '../server/errors';
import { validateXliff12 } from './helpers/xmllint';

const unit = (id: string, target?: string, revision = 0, extra: Partial<Unit> = {}): Unit => ({ id, source: `Source ${id}.`, target, state: target ? 'translated' : undefined, approved: false, revision, notes: [], ...extra });
const file = (...units: Unit[]): LocaleFile => ({ document: 'doc', sourceLanguage: 'en', targetLanguage: 'es', units });
const bytes = (f: LocaleFile) => buildXliff12(f, { file: 'doc.xlf' }).bytes;
const where = 'locales/es/doc.xlf';

describe('mergeAhead: a merge of paragraphs as unit changes', () => {
  const base = file(unit('s1'), unit('s2'), unit('s3', 'Tres.', 1), unit('s4', 'Cuatro.', 1));

  it('gives the units the merge changes in our file (ours and merged), and the conflicts, nothing for units it leaves', () => {
    const ours = file(unit('s1', 'Uno.', 1), unit('s2'), unit('s3', 'Tres, nuestro.', 3), unit('s4', 'Cuatro.', 1));
    const theirs = file(unit('s1'), unit('s2', 'Dos.', 1), unit('s3', 'Tres, suyo.', 2), unit('s4', 'Cuatro.', 2, { approved: true, state: 'signed-off' }));
    const merge = mergeAhead(bytes(base), bytes(ours), bytes(theirs), where, 'ours');
    if (!merge.fits) throw new Error(merge.reason);
    expect(merge.changes.map((c) => [c.ours.id, c.ours.target ?? null, c.merged.target ?? null, c.merged.approved])).toEqual([
      ['s2', null, 'Dos.', false],
      ['s3', 'Tres, nuestro.', 'Tres, nuestro.', false],
      ['s4', 'Cuatro.', 'Cuatro.', true],
    ]);
    // s3 is kept as ours with a revision above both sides; their text is the conflict.
    expect(merge.changes[1].merged.revision).toBe(4);
    expect(merge.conflicts).toEqual([expect.objectContaining({ unit: 's3', kept: 'ours', other: expect.objectContaining({ target: 'Tres, suyo.' }) })]);
  });

  it('does not fit a merge that adds or takes out units, or brings another source version: git merges those', () => {
    const ours = file(unit('s1', 'Uno.', 1), unit('s2'), unit('s3', 'Tres.', 1), unit('s4', 'Cuatro.', 1));
    const added = mergeAhead(bytes(base), bytes(ours), bytes(file(...base.units, unit('s5'))), where, 'ours');
    expect(added).toEqual({ fits: false, reason: 'units added' });
    const removed = mergeAhead(bytes(base), bytes(ours), bytes(file(unit('s1'), unit('s2'), unit('s3', 'Tres.', 1))), where, 'ours');
    expect(removed).toEqual({ fits: false, reason: 'units taken out' });
    // Units in another order on their side: the merge keeps ours (as the merge driver does), nothing to change.
    const [s1, s2, s3, s4] = base.units;
    expect(mergeAhead(bytes(base), bytes(ours), bytes(file(s2, s1, s3, s4)), where, 'ours')).toEqual({ fits: true, changes: [], conflicts: [] });
    expect(mergeAhead(bytes(base), bytes(ours), bytes({ ...base, sourceVersion: 2 }), where, 'ours')).toEqual({ fits: false, reason: 'another source version' });
  });

  it('refuses a side with a conflict marker, on the calling thread and on a thread of its own', async () => {
    const marked = Buffer.from(Buffer.from(bytes(base)).toString('utf8').replace('<body>', '<body>\n<<<<<<< HEAD'));
    expect(() => mergeAhead(bytes(base), bytes(base), marked, where, 'ours')).toThrow(/conflict marker/);
    // A large file goes to the merge thread, which says the same.
    const big = file(...Array.from({ length: 4000 }, (_, i) => unit(`u${i}`, `Texto ${i}.`, 1)));
    const bigMarked = Buffer.from(Buffer.from(bytes(big)).toString('utf8').replace('<body>', '<body>\n>>>>>>> theirs'));
    const refused = await mergeAheadOffThread(bytes(big), bytes(big), bigMarked, where, 'ours').catch((err: unknown) => err);
    expect(isWorkbenchError(refused) && refused.code).toBe('git-conflict-marker');
  });

  it('merges a large file on a thread of its own, with the same result as on the calling thread', async () => {
    const big = (f: (i: number) => string | undefined) => file(...Array.from({ length: 4000 }, (_, i) => unit(`u${i}`, f(i), f(i) ? 1 : 0)));
    const baseFile = big((i) => (i % 3 === 0 ? `Base ${i}.` : undefined));
    const ours = big((i) => (i % 3 === 0 ? `Base ${i}.` : i % 10 === 1 ? `Nuestro ${i}.` : undefined));
    const theirs = big((i) => (i % 3 === 0 ? (i % 9 === 0 ? `Suyo ${i}.` : `Base ${i}.`) : i === 11 ? `Suyo ${i}.` : undefined));
    const [b, o, t] = [bytes(baseFile), bytes(ours), bytes(theirs)];
    expect(b.byteLength).toBeGreaterThan(512 * 1024 / 3);
    const off = await mergeAheadOffThread(b, o, t, where, 'theirs');
    expect(off).toEqual(mergeAhead(b, o, t, where, 'theirs'));
    if (!off.fits) throw new Error(off.reason);
    // Every ninth unit (445 of them) and u11, changed on both sides: theirs kept (the same revision, theirs later), ours the conflict.
    expect(off.changes).toHaveLength(446);
    expect(off.conflicts.map((c) => c.unit)).toEqual(['u11']);
  });
});

describe('applyMergeAhead: the merge put into the file as it is now', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-merge-ahead-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const ahead = (changes: MergeAheadFile['changes']): MergeAheadFile => ({
    path: where,
    document: 'doc',
    lang: 'es',
    changes,
    suggestions: [],
    sides: { ours: { time: 1_700_000_000, name: 'ana' }, theirs: { time: 1_700_000_100, name: 'ben' } },
  });

  it('takes the merged unit where nobody saved since our commit; a paragraph saved meanwhile keeps the later text, the other a suggestion credited to its side', async () => {
    const lock = localLock();
    const store = createFileLocaleStore({ dir, lock });
    const ours = file(unit('s1', 'Uno.', 1), unit('s2'), unit('s3', 'Tres.', 1));
    await store.create(ours);
    // Saved here after our commit: s3 by eva.
    await store.update('doc', 'es', (f) => {
      const s3 = f.units[2];
      s3.target = 'Tres, de Eva.';
      s3.revision = 2;
    });
    const merged = { s2: unit('s2', 'Dos, de Ben.', 1), s3: unit('s3', 'Tres, de Ben.', 2) };
    const { suggestions, units, written } = await lock.hold(() => applyMergeAhead(store, ahead([{ ours: ours.units[1], merged: merged.s2 }, { ours: ours.units[2], merged: merged.s3 }]), (id) => (id === 's3' ? 'eva' : undefined)));
    expect(units.map((u) => u.id)).toEqual(['s2', 's3']);
    expect(written).toBe(true);
    const now = await store.read('doc', 'es');
    expect(now?.units.map((u) => u.target ?? null)).toEqual(['Uno.', 'Dos, de Ben.', 'Tres, de Eva.']);
    // The kept text counts both sides' edits: the next save of either is newer.
    expect(now?.units[2].revision).toBe(3);
    expect(suggestions).toEqual([expect.objectContaining({ document: 'doc', lang: 'es', unit: 's3', text: 'Tres, de Ben.', author: 'ben', keptAuthor: 'eva' })]);
    expect(validateXliff12(path.join(dir, 'es', 'doc.xlf'))).toMatchObject({ valid: true });
  });

  it('writes nothing when every unit the merge changes was saved the same way here meanwhile', async () => {
    const lock = localLock();
    const store = createFileLocaleStore({ dir, lock });
    const ours = file(unit('s1', 'Uno.', 1), unit('s2'));
    await store.create(ours);
    await store.update('doc', 'es', (f) => {
      f.units[1].target = 'Dos.';
      f.units[1].state = 'translated';
      f.units[1].revision = 1;
    });
    const before = readFileSync(path.join(dir, 'es', 'doc.xlf'));
    const { suggestions, units } = await lock.hold(() => applyMergeAhead(store, ahead([{ ours: ours.units[1], merged: unit('s2', 'Dos.', 1) }]), () => 'eva'));
    expect(suggestions).toEqual([]);
    expect(units).toEqual([]);
    expect(readFileSync(path.join(dir, 'es', 'doc.xlf'))).toEqual(before);
  });

  it('holds only while each file is at the source version it was worked out for (a source updated meanwhile: git merges instead)', async () => {
    const lock = localLock();
    const store = createFileLocaleStore({ dir, lock });
    const ours = { ...file(unit('s1', 'Uno.', 1), unit('s2')), sourceVersion: 1 };
    await store.create(ours);
    const merge = mergeAhead(bytes(ours), bytes(ours), bytes({ ...ours, units: [unit('s1', 'Uno.', 1), unit('s2', 'Dos.', 1)] }), where, 'ours');
    if (!merge.fits) throw new Error(merge.reason);
    expect(merge.sourceVersion).toBe(1);
    const planned = { ...ahead(merge.changes), sourceVersion: merge.sourceVersion };
    expect(await mergeAheadHolds(store, [planned])).toBe(true);
    await store.update('doc', 'es', (f) => {
      f.sourceVersion = 2;
    });
    expect(await mergeAheadHolds(store, [planned])).toBe(false);
    expect(await mergeAheadHolds(store, [{ ...planned, lang: 'fr' }])).toBe(false);
  });

  it('makes the file with the merged units (for the merge commit, on a thread for a large file) byte for byte as the store writes it', async () => {
    const lock = localLock();
    const store = createFileLocaleStore({ dir, lock });
    const big = file(...Array.from({ length: 4000 }, (_, i) => unit(`u${i}`, i % 2 ? `Texto ${i} & <más>.` : undefined, i % 2)));
    await store.create(big);
    const before = readFileSync(path.join(dir, 'es', 'doc.xlf'));
    expect(before.byteLength).toBeGreaterThan(512 * 1024);
    const units = [unit('u2', 'Dos, por fin.', 1), unit('u3', 'Tres, cambiado.', 2, { state: 'needs-review-translation' }), unit('u3999', 'El último.', 2)];
    await lock.hold(async () => {
      const prepared = await store.prepareUnitChanges('doc', 'es', () => ({ result: undefined, units }));
      await prepared.commit();
    });
    const written = readFileSync(path.join(dir, 'es', 'doc.xlf'));
    expect(Buffer.from(await withUnitsOffThread(before, units, where)).equals(written)).toBe(true);
    expect(await withUnitsOffThread(before, [], where)).toBe(before);
  });
});

describe('planMergeAhead: which merges a sync works out itself', () => {
  let dir: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'ana', GIT_AUTHOR_EMAIL: 'ana@example.invalid', GIT_COMMITTER_NAME: 'ana', GIT_COMMITTER_EMAIL: 'ana@example.invalid' } }).trim();
  const put = (file: string, content: Uint8Array | string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  };
  const base = file(unit('s1'), unit('s2'));

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-plan-ahead-'));
    git('init', '-q', '-b', 'main');
    put('locales/es/doc.xlf', bytes(base));
    git('add', '-A');
    git('commit', '-qm', 'base');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Our commit (s1 translated) and theirs (s2 translated, and `also` their other changes), from the base. */
  async function sides(also: () => void = () => undefined): Promise<{ repo: GitRepository; head: string; theirs: string }> {
    git('checkout', '-q', '-b', 'theirs');
    put('locales/es/doc.xlf', bytes(file(unit('s1'), unit('s2', 'Dos.', 1))));
    also();
    git('add', '-A');
    git('commit', '-qm', 'theirs');
    const theirs = git('rev-parse', 'HEAD');
    git('checkout', '-q', 'main');
    put('locales/es/doc.xlf', bytes(file(unit('s1', 'Uno.', 1), unit('s2'))));
    git('commit', '-qam', 'ours');
    const repo = await GitRepository.at(dir);
    if (!repo) throw new Error('no repository');
    return { repo, head: git('rev-parse', 'HEAD'), theirs };
  }

  it('works out a merge of paragraphs of the project\'s locale files, with their suggestion lists', async () => {
    const { repo, head, theirs } = await sides(() => put('locales/es/doc.conflicts.jsonl', '{"id":"x"}\n'));
    const plan = await planMergeAhead(repo, head, theirs);
    expect(plan?.files.map((f) => [f.path, f.document, f.lang, f.changes.map((c) => c.merged.target)])).toEqual([['locales/es/doc.xlf', 'doc', 'es', ['Dos.']]]);
    expect(plan?.lists.map((l) => [l.path, Buffer.from(l.base).toString(), Buffer.from(l.theirs).toString()])).toEqual([['locales/es/doc.conflicts.jsonl', '', '{"id":"x"}\n']]);
    expect(plan?.files[0].sides.theirs.name).toBe('ana');
  });

  it('leaves to git a merge that changes anything else: a source, a file not named as the project names its locale files, a file taken out', async () => {
    // Each odd file is in the base and in our commit too: only its name makes it git's.
    const changed = bytes(file(unit('s1'), unit('s2', 'Otro.', 1)));
    for (const [what, inBase, change] of [
      ['a source', 'source/doc.md', () => put('source/doc.md', '# Doc, changed\n')],
      ['a locale code that is not one', 'locales/ES_x/doc.xlf', () => put('locales/ES_x/doc.xlf', changed)],
      ['a document id that is not one', 'locales/es/Doc.Other.xlf', () => put('locales/es/Doc.Other.xlf', changed)],
      ['an archive', 'locales/es/doc.removed.xlf', () => put('locales/es/doc.removed.xlf', changed)],
      ['a file taken out', 'locales/fr/doc.xlf', () => rmSync(path.join(dir, 'locales/fr/doc.xlf'))],
    ] as const) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      git('init', '-q', '-b', 'main');
      put('locales/es/doc.xlf', bytes(base));
      put(inBase, inBase.endsWith('.md') ? '# Doc\n' : bytes(base));
      git('add', '-A');
      git('commit', '-qm', 'base');
      const { repo, head, theirs } = await sides(change);
      expect([what, await planMergeAhead(repo, head, theirs)]).toEqual([what, undefined]);
    }
  });
});
