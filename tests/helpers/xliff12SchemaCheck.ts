import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from './tempDir';
import { validateXliff12 } from './xmllint';

/** What useXliff12SchemaCheck gives a test file. */
export interface Xliff12SchemaCheck {
  /** Throws, naming the file and xmllint's output, unless `xml` is valid against the strict XLIFF 1.2 schema. */
  expectSchemaValid(xml: string): void;
  /** The test file's temp directory (where the checked files are written), while its tests run. */
  tempDir(): string;
}

/**
 * Gives the calling test file a temp directory (made before its tests, removed after them) and a
 * schema check of XML text, which xmllint can only read from a file: call at the top of the file.
 */
export function useXliff12SchemaCheck(prefix: string): Xliff12SchemaCheck {
  let tmp: TempDir | undefined;
  beforeAll(() => {
    tmp = makeTempDir(prefix);
  });
  afterAll(() => tmp?.cleanup());

  function tempDir(): string {
    if (!tmp) throw new Error('useXliff12SchemaCheck: the temp directory exists only while the tests run');
    return tmp.dir;
  }

  let fileCounter = 0;
  function expectSchemaValid(xml: string): void {
    const path = join(tempDir(), `file-${++fileCounter}.xlf`);
    writeFileSync(path, xml, 'utf8');
    const { valid, output } = validateXliff12(path);
    if (!valid) throw new Error(`${path} does not validate:\n${output}\n\n${xml}`);
  }

  return { expectSchemaValid, tempDir };
}
