import fc from 'fast-check';
import { createWorkbench } from '../server/application/createWorkbench';
import type { LocaleStore } from '../server/storage/localeStore';
import { makeProject } from './helpers/project';

// Whatever an editor does to a source (edit, delete, split, merge, move, insert), no translation of
// the previous version is lost: each one is still in a unit (as its translation, or the one it was
// pre-filled with) or in the archive of removed paragraphs. And the ids stay unique.
jest.setTimeout(120_000);

const word = fc.stringMatching(/^[a-z]{2,7}$/);
const sentence = fc.array(word, { minLength: 4, maxLength: 12 }).map((w) => `${w.join(' ')}.`);
const paragraphs = fc.uniqueArray(sentence, { minLength: 2, maxLength: 12 });

type Op = { kind: 'edit' | 'delete' | 'split' | 'merge' | 'move' | 'insert'; at: number; to: number; text: string };
const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('edit', 'delete', 'split', 'merge', 'move', 'insert'),
  at: fc.nat(),
  to: fc.nat(),
  text: sentence,
});

function apply(texts: string[], ops: Op[]): string[] {
  const out = [...texts];
  for (const o of ops) {
    if (out.length === 0) break;
    const i = o.at % out.length;
    switch (o.kind) {
      case 'edit':
        out[i] = out[i].replace(/^\S+/, o.text.split(' ')[0]);
        break;
      case 'delete':
        out.splice(i, 1);
        break;
      case 'split': {
        const words = out[i].split(' ');
        if (words.length > 3) out.splice(i, 1, `${words.slice(0, 2).join(' ')}.`, words.slice(2).join(' '));
        break;
      }
      case 'merge':
        if (i + 1 < out.length) out.splice(i, 2, `${out[i]} ${out[i + 1]}`);
        break;
      case 'move': {
        const [m] = out.splice(i, 1);
        out.splice(o.to % (out.length + 1), 0, m);
        break;
      }
      case 'insert':
        out.splice(o.to % (out.length + 1), 0, o.text);
        break;
    }
  }
  return out;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
}

it('no translation is ever lost by a source update', async () => {
  await fc.assert(
    fc.asyncProperty(paragraphs, fc.array(op, { minLength: 1, maxLength: 6 }), async (v1, ops) => {
      const v2 = [...new Set(apply(v1, ops))];
      if (v2.length === 0) return;
      const project = makeProject({ 'doc.md': `${v1.join('\n\n')}\n` });
      try {
        const workbench = createWorkbench(project.dir);
        await workbench.startLocale('doc', 'es');
        const { segments } = await workbench.listSegments('doc', 'es', { limit: 1000 });
        for (const s of segments) await workbench.translations.saveTarget('doc', 'es', s.id, { target: `T[${s.source}]`, baseRevision: 0 });
        // The file's model as the store holds it is never changed by the update: the migration
        // changes copies of the units it touches, and shares the others (a change to a frozen
        // unit throws, and the locale's update fails with it).
        const store = (workbench as unknown as { locales: LocaleStore }).locales; // the workbench's own store, private to it
        deepFreeze(await store.peek('doc', 'es', (file) => file));
        const report = await workbench.updateSource('doc', Buffer.from(`${v2.join('\n\n')}\n`), { name: 'doc.md', force: true });
        expect(report.locales).toEqual([expect.not.objectContaining({ error: expect.anything() })]);

        const after = (await workbench.listSegments('doc', 'es', { limit: 1000 })).segments;
        expect(new Set(after.map((s) => s.id)).size).toBe(after.length);
        const kept = after.flatMap((s) => [s.target ?? '', s.drift?.previousTarget ?? '']).join('\n');
        const archived = (await workbench.removedUnits('doc', 'es')).map((u) => u.target ?? '').join('\n');
        for (const text of v1) expect(`${kept}\n${archived}`).toContain(`T[${text}]`);
        // Unchanged paragraphs keep their translation as it was, current.
        for (const s of after) if (v1.includes(s.source)) expect(s).toMatchObject({ state: 'translated', target: `T[${s.source}]` });
      } finally {
        project.cleanup();
      }
    }),
    { numRuns: 30 },
  );
});
