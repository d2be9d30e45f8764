import { createProject } from '../server/application/createWorkbench';
import { MAX_IMPORT_UNITS } from '../server/formats/interchangeReading';
import { makeProject, SMALL_DOC, type TestProject } from './helpers/project';

// A large XLIFF file is read on a thread of its own (the server answers meanwhile), one at a time
// per project, and a file with more units than the documented limit is refused before it is parsed.

let project: TestProject;
beforeEach(() => {
  project = makeProject({ 'small.md': SMALL_DOC });
});
afterEach(() => project.cleanup());

/** An XLIFF 1.2 file with `units` translation units. */
function xliffWith(units: number): Buffer {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="small" source-language="en" target-language="es" datatype="plaintext"><body>'];
  for (let i = 0; i < units; i++) parts.push(`<trans-unit id="u${i}"><source>Paragraph ${i} of a very long book that goes on.</source><target>Párrafo ${i} de un libro muy largo que sigue.</target></trans-unit>`);
  parts.push('</body></file></xliff>\n');
  return Buffer.from(parts.join('\n'));
}

describe('a large XLIFF import', () => {
  it('is read off the main thread: timers keep firing while it is read', async () => {
    const { imports } = createProject(project.dir);
    const bytes = xliffWith(40_000);
    expect(bytes.byteLength).toBeGreaterThan(4 * 1024 * 1024);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const file = await imports.read(bytes, 'book.xlf');
      expect(file.units).toHaveLength(40_000);
      expect(file.units[39_999]).toMatchObject({ id: 'u39999', target: 'Párrafo 39999 de un libro muy largo que sigue.' });
    } finally {
      clearInterval(timer);
    }
    // Read on the main thread, the parse is one synchronous stretch: no tick could fire in it.
    expect(ticks).toBeGreaterThan(3);
  });

  it(`refuses a file of more than ${MAX_IMPORT_UNITS.toLocaleString('en')} units with 413, before parsing it`, async () => {
    const { imports } = createProject(project.dir);
    await expect(imports.read(xliffWith(MAX_IMPORT_UNITS + 1), 'huge.xlf')).rejects.toMatchObject({
      status: 413,
      code: 'xliff-too-many-units',
      message: expect.stringContaining('more than 50,000 translation units'),
    });
  });

  it('reports a broken large file as the sender’s mistake, from the thread as from the main thread', async () => {
    const { imports } = createProject(project.dir);
    const broken = Buffer.concat([xliffWith(10_000).subarray(0, 700_000), Buffer.from('<trans-unit id="x"><source>cut')]);
    await expect(imports.read(broken, 'broken.xlf')).rejects.toMatchObject({ status: 400, message: expect.stringContaining('broken.xlf') });
    await expect(imports.read(Buffer.from('<xliff version="1.2"><file><body><trans-unit'), 'small.xlf')).rejects.toMatchObject({ status: 400 });
  });

  it('reads large files of one project one after another, each whole', async () => {
    const { imports } = createProject(project.dir);
    const files = await Promise.all([1, 2, 3].map((k) => imports.read(xliffWith(10_000 + k), `part${k}.xlf`)));
    expect(files.map((f) => f.units.length)).toEqual([10_001, 10_002, 10_003]);
  });
});
