import { planSourceUpdate } from '../server/domain/planSourceUpdate';
import { segmentDocument } from '../server/domain/segmentDocument';

describe('planSourceUpdate', () => {
  it('segments the new text, aligns it with the current paragraphs and records the next version with its labels and counts', () => {
    const v1 = '# Title\n\nFirst paragraph, about the commune.\n\nSecond paragraph, about assemblies.\n\nThird paragraph, gone soon.\n';
    const document = { ...segmentDocument('doc', v1, 'markdown'), version: 3 };
    const v2 = '# Title\n\nSecond paragraph, about assemblies.\n\nFirst paragraph, about the commune and its neighbours.\n\nA new one.\n';
    const date = new Date('2026-12-04T10:00:00Z');
    const plan = planSourceUpdate({ document, known: document.segments }, v2, { format: 'markdown', hash: 'h2', who: 'an editor', date });
    const ids = Object.fromEntries(document.segments.map((s) => [s.text.split(',')[0], s.id]));
    expect(plan.changed).toBe(true);
    expect(plan.previous).toBe(document);
    expect(plan.document.version).toBe(4);
    expect(plan.version).toMatchObject({ number: 4, hash: 'h2', who: 'an editor', date: '2026-12-04T10:00:00.000Z' });
    // The title and the second paragraph keep their order (the longest chain); the first, edited, follows them.
    expect(plan.version.counts).toMatchObject({ unchanged: 2, moved: 0, edited: 1, new: 1, deleted: 1 });
    // The edited paragraph keeps its id; the deleted one is listed; the new one has a new id.
    const edited = plan.version.changes.find((c) => c.label === 'edited');
    expect(edited?.id).toBe(ids['First paragraph']);
    expect(plan.version.deleted.map((d) => d.id)).toEqual([ids['Third paragraph']]);
    expect(plan.document.segments.map((s) => s.id)).toEqual([ids['# Title'] ?? plan.document.segments[0].id, ids['Second paragraph'], ids['First paragraph'], expect.stringMatching(/^s[0-9a-f]{8}$/)]);
  });
});
