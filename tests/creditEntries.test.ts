import { editionCredits } from '../server/domain/editionCredits';
import type { HistoryEntry } from '../server/storage/historyRepository';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { makeProject, type TestProject } from './helpers/project';

// An edition's credits come from one entry per person, action and suggester (the first of each),
// read by one query: the same translators and reviewers, in the same order, as the whole history gives.

let project: TestProject;
beforeEach(() => {
  project = makeProject();
});
afterEach(() => project.cleanup());

const entry = (n: number, who: string, action: string, suggestedBy?: string): HistoryEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  who,
  segment: `s${n % 4}`,
  action,
  ...(suggestedBy === undefined ? {} : { suggestedBy }),
});

test('the credits of a locale are the same from its first entries of each kind as from its whole history', async () => {
  const { history } = projectRecords(project.dir);
  const entries = [
    entry(1, 'anonymous', 'save'),
    entry(2, 'Joan', 'save'),
    entry(3, 'Marta', 'approve'),
    entry(4, 'Ana', 'import'),
    entry(5, 'Marta', 'suggestion-accepted', 'Lucía'),
    entry(6, 'Joan', 'save'),
    entry(7, 'Pau', 'reject'),
    entry(8, 'workbench', 'drift'),
    entry(9, 'Lucía', 'save'),
    entry(10, 'Ana', 'approve'),
  ];
  await history.append('doc', 'es', entries);
  await history.append('doc', 'fr', [entry(11, 'Zoé', 'save')]);
  const fromAll = editionCredits(await history.list('doc', 'es'));
  expect(fromAll).toEqual({ translators: ['Joan', 'Ana', 'Lucía'], reviewers: ['Marta', 'Pau', 'Ana'] });
  const firsts = await history.creditEntries('doc', 'es');
  expect(firsts.length).toBeLessThan(entries.length);
  expect(editionCredits(firsts)).toEqual(fromAll);
});
