import path from 'node:path';
import { createProject } from '../server/application/createWorkbench';
import { isWorkbenchError } from '../server/errors';
import { makeProject, type TestProject } from './helpers/project';
import { validateXliff12 } from './helpers/xmllint';

// Saves (group-committed), a source update and XLIFF imports racing on one locale: every
// acknowledged save and import is in the file (or, for a paragraph the update deleted, in the
// archive), and the file is strict-valid at the end.

const paragraphs = (n: number, skip: (i: number) => boolean = () => false, edit: (i: number) => boolean = () => false) =>
  Array.from({ length: n }, (_, i) => i)
    .filter((i) => !skip(i))
    .map((i) => `Paragraph number ${i} of the text, long enough to be itself and no other one${edit(i) ? ', now revised' : ''}.`)
    .join('\n\n');
const V1 = `# A text\n\n${paragraphs(120)}\n`;
const V2 = `# A text\n\n${paragraphs(120, (i) => i % 15 === 4, (i) => i % 10 === 7)}\n`;

let project: TestProject;
beforeEach(() => {
  project = makeProject({ 'doc.md': V1 });
});
afterEach(() => project.cleanup());

describe('a save, a source update and an import racing on one locale', () => {
  it('lose nothing acknowledged and leave a valid file', async () => {
    const { workbench, imports } = createProject(project.dir);
    await workbench.startLocale('doc', 'es');
    const ids = (await workbench.document('doc')).segments.filter((s) => s.translatable).map((s) => s.id);
    const savers = ids.slice(0, 80);
    const imported = ids.slice(80);
    const acked = new Map<string, string>();
    const refused: string[] = [];
    const save = async (id: string, round: number) => {
      const target = `Guardado ${round} de ${id}`;
      try {
        const current = (await workbench.listSegments('doc', 'es', { limit: 1000 })).segments.find((s) => s.id === id);
        if (!current) return;
        await workbench.translations.saveTarget('doc', 'es', id, { target, baseRevision: current.revision });
        acked.set(id, target);
      } catch (err) {
        if (!isWorkbenchError(err) || err.status >= 500) throw err;
        refused.push(err.code);
      }
    };
    const importRound = async (round: number) => {
      const units = imported.map((id) => `<trans-unit id="${id}"><source>x</source><target>Importado ${round} de ${id}</target></trans-unit>`).join('');
      const xliff = `<?xml version="1.0" encoding="UTF-8"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="doc" source-language="en" target-language="es" datatype="plaintext"><body>${units}</body></file></xliff>`;
      const result = await imports.run('doc', 'es', Buffer.from(xliff), { name: `round${round}.xlf`, who: 'tool' });
      for (const change of [...result.plan.newTranslations, ...result.plan.changed]) {
        if (!result.changedMeanwhile.includes(change)) acked.set(change.segment, change.target);
      }
    };
    await Promise.all([
      ...savers.map((id, i) => save(id, i % 4)),
      importRound(1),
      workbench.updateSource('doc', Buffer.from(V2), { name: 'doc.md', force: true }),
      ...savers.map((id) => save(id, 9)),
      importRound(2),
    ]);

    const again = createProject(project.dir).workbench;
    const context = await again.locale('doc', 'es');
    const archived = new Map((await again.removedUnits('doc', 'es')).map((u) => [u.id.replace(/@\d+$/, ''), u.target]));
    const lost = [...acked].filter(([id, target]) => context.units.get(id)?.target !== target && archived.get(id) !== target);
    expect(lost).toEqual([]);
    expect(acked.size).toBeGreaterThan(60);
    const live = new Set(context.document.segments.map((s) => s.id));
    expect(context.file.units.filter((u) => !live.has(u.id)).map((u) => u.id)).toEqual([]);
    const { valid, output } = validateXliff12(path.join(project.dir, 'locales', 'es', 'doc.xlf'));
    expect(valid ? '' : output).toBe('');
    expect(new Set(refused)).toEqual(new Set(refused.filter((code) => ['segment-not-found', 'revision-conflict'].includes(code))));
  });
});
