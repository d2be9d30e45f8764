import type { GlossaryTerm } from '../server/domain/glossaryTerm';
import { databaseFileOf, openDatabase, type SqlDatabase } from '../server/storage/sql/openDatabase';
import { createSqlGlossaryRepository } from '../server/storage/sql/sqlGlossaryRepository';
import { makeTempDir } from './helpers/tempDir';

const term = (id: string, revision: number): GlossaryTerm => ({
  id,
  sourceLanguage: 'en',
  source: `term ${id}`,
  translations: ['término'],
  forbidden: [],
  partOfSpeech: '',
  note: '',
  caseSensitive: false,
  revision,
  who: 'ana',
  at: '2026-12-06T10:00:00Z',
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('a glossary revision kept between saves', () => {
  const opened: SqlDatabase[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });

  it('follows the changes of this process and of another connection (another process)', async () => {
    const temp = makeTempDir('glossary-revision');
    try {
      const [a, b] = [0, 1].map(() => {
        const db = openDatabase(databaseFileOf(temp.dir));
        opened.push(db);
        return createSqlGlossaryRepository(db);
      });
      expect(await a.revision('es')).toBe(0);
      await a.write('es', [term('t1', 1)]);
      expect(await a.revision('es')).toBe(1);
      await nextTurn();
      // The other process wrote: seen from the next turn of the event loop on.
      await b.write('es', [term('t2', 1)]);
      await nextTurn();
      expect(await a.revision('es')).toBe(2);
      expect(await b.revision('es')).toBe(2);
      await a.remove('es', 't1', 1);
      expect(await a.revision('es')).toBe(3);
      await nextTurn();
      expect(await b.revision('es')).toBe(3);
      // A refused write (stale) changes nothing.
      expect((await b.write('es', [term('t2', 1)])).stale).toEqual(['t2']);
      expect(await b.revision('es')).toBe(3);
      expect(await b.revision('fr')).toBe(0);
    } finally {
      temp.cleanup();
    }
  });

  it('is shared by the repositories over one connection: a change through one is seen by the other at once', async () => {
    const temp = makeTempDir('glossary-revision');
    try {
      const db = openDatabase(databaseFileOf(temp.dir));
      opened.push(db);
      const [a, b] = [createSqlGlossaryRepository(db), createSqlGlossaryRepository(db)];
      expect(await a.revision('es')).toBe(0);
      await b.write('es', [term('t1', 1)]);
      expect(await a.revision('es')).toBe(1);
      await b.remove('es', 't1', 1);
      expect(await a.revision('es')).toBe(2);
    } finally {
      temp.cleanup();
    }
  });
});
