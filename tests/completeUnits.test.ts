import { completeUnits } from '../server/domain/completeUnits';
import type { LocaleFile, SourceDocument, Unit } from '../server/domain/types';

// completeUnits brings a file's units in line with the document without changing a unit it is
// given: a unit it changes is a changed copy (a source update hands it the store's own units).

const segment = (id: string, text: string, translatable = true) => ({ id, kind: 'paragraph', text, translatable }) as SourceDocument['segments'][number];
const unit = (id: string, fields: Partial<Unit>): Unit => Object.freeze({ id, source: '', approved: false, revision: 0, notes: Object.freeze([]) as unknown as Unit['notes'], ...fields });

test('fills in what is missing with copies, and shares the units that need nothing', () => {
  const document = {
    id: 'doc',
    meta: { title: 'Doc', language: 'en' },
    version: 2,
    segments: [segment('a', 'A now.'), segment('h', 'Heading', false), segment('b', 'B now.'), segment('c', 'C now.'), segment('d', 'D now.'), segment('e', 'E new.')],
  } as SourceDocument;
  const translated = unit('a', { source: 'A before.', target: 'A traducido.', state: 'translated' });
  const stale = unit('b', { source: 'B before.', state: 'needs-translation' });
  const stateless = unit('c', { source: 'C now.' });
  const current = unit('d', { source: 'D now.', state: 'new' });
  const gone = unit('z', { source: 'Z.', target: 'Zeta.', state: 'translated' });
  const units = Object.freeze([gone, current, stateless, stale, translated]) as unknown as Unit[];
  const file: LocaleFile = { document: 'doc', sourceLanguage: 'en', targetLanguage: 'es', units, sourceVersion: 2 };

  completeUnits(document, file);

  expect(file.units.map((u) => u.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'z']);
  const [a, b, c, d, e, z] = file.units;
  // A translation keeps the source it was made from; the units needing nothing are the same objects.
  expect(a).toBe(translated);
  expect(d).toBe(current);
  expect(z).toBe(gone);
  // Untranslated units take the current source, and a state when they have none: as copies.
  expect(b).not.toBe(stale);
  expect(b).toEqual({ ...stale, source: 'B now.' });
  expect(stale.source).toBe('B before.');
  expect(c).toEqual({ ...stateless, state: 'needs-translation' });
  expect(stateless.state).toBeUndefined();
  // A paragraph without a unit gets one.
  expect(e).toEqual({ id: 'e', source: 'E new.', approved: false, revision: 0, notes: [], state: 'needs-translation' });
});
