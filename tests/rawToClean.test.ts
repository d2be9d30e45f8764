import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createWorkbench } from '../server/application/createWorkbench';
import type { Workbench } from '../server/application/workbench';
import { makeProject, REPO_ROOT, type TestProject } from './helpers/project';
import { validateXliff12 } from './helpers/xmllint';

// The real test of drift: the manifesto as extracted from its PDF (pages out of order, words glued
// across page breaks) is version 1, fully translated; the clean edition is version 2.
jest.setTimeout(60_000);

const RAW = readFileSync(path.join(REPO_ROOT, 'tests/fixtures/communard-manifesto.raw.txt'));
const CLEAN = readFileSync(path.join(REPO_ROOT, 'source/communard-manifesto.md'));

let project: TestProject;
let workbench: Workbench;
const translationOf = (source: string) => `«${source}»`;

beforeAll(async () => {
  project = makeProject({});
  workbench = createWorkbench(project.dir);
  await workbench.importDocument(RAW, { name: 'manifesto.txt', id: 'manifesto' });
  await workbench.startLocale('manifesto', 'es');
  const { segments } = await workbench.listSegments('manifesto', 'es', { limit: 1000 });
  for (const s of segments) await workbench.translations.saveTarget('manifesto', 'es', s.id, { target: translationOf(s.source), baseRevision: 0 });
});
afterAll(() => project.cleanup());

it('aligns the raw extraction with the clean edition: moved pages keep their translations, glued ones drift, nothing is lost', async () => {
  const v1 = await workbench.document('manifesto');
  const v1Texts = new Set(v1.segments.map((s) => s.text));
  const report = await workbench.updateSource('manifesto', CLEAN, { name: 'communard-manifesto.md', who: 'an editor' });
  const counts = report.version.counts;
  expect(report.version.number).toBe(2);

  const { segments } = await workbench.listSegments('manifesto', 'es', { limit: 1000 });
  // Whole paragraphs that only changed place (their page came elsewhere in the file) keep their translation, current.
  const same = segments.filter((s) => v1Texts.has(s.source));
  expect(same.length).toBeGreaterThan(80);
  for (const s of same) expect(s).toMatchObject({ state: 'translated', target: translationOf(s.source) });
  expect(counts.moved).toBeGreaterThan(20);

  // A paragraph cut by a page break: "…political parties' op-" + "tions, whether old or new." is one
  // paragraph now. It is drifted, pre-filled with the translations, and the diff shows the join.
  const options = segments.find((s) => s.source.includes("political parties' options, whether old or new"));
  expect(options?.state).toBe('drifted');
  expect(options?.target).toContain("parties' op-»");
  const diff = options?.drift?.diff ?? [];
  expect(diff.some((p) => p.removed && p.value.includes('op-'))).toBe(true);
  expect(diff.some((p) => p.added && p.value.includes('options'))).toBe(true);

  // The glued word "essenproducts" is cut apart again: the paragraph that held it is drifted.
  const glued = v1.segments.find((s) => s.text.includes('essenproducts'));
  expect(glued).toBeDefined();
  expect(segments.find((s) => s.source.includes('essential'))?.state).toBe('drifted');

  // Nothing translated in version 1 is lost: every translation is in a unit of version 2 (as its
  // translation or the one it was pre-filled with) or in the archive of removed paragraphs.
  const kept = new Set<string>();
  for (const s of segments) {
    if (s.target) kept.add(s.target);
    if (s.drift?.previousTarget) kept.add(s.drift.previousTarget);
  }
  const archived = new Set((await workbench.removedUnits('manifesto', 'es')).map((u) => u.target));
  const lost = v1.segments.filter((s) => {
    const t = translationOf(s.text);
    return !archived.has(t) && ![...kept].some((k) => k.includes(t));
  });
  expect(lost.map((s) => s.text)).toEqual([]);
  // The archive holds the deleted paragraphs and the ones merged into another (their text is in it too).
  const mergedAway = report.version.changes.filter((c) => c.label === 'merged').reduce((n, c) => n + c.from.length - 1, 0);
  expect(archived.size).toBe(counts.deleted + mergedAway);

  // The contents list and the library's header lines are not paragraphs of the edition: deleted, archived.
  expect(archived.has(translationOf('Contents'))).toBe(true);
  expect(validateXliff12(path.join(project.localesDir, 'es', 'manifesto.xlf'))).toMatchObject({ valid: true });
});
