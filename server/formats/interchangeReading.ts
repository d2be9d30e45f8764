import type { InterchangeFile } from '../domain/interchange';
import { readUpload, WorkbenchError } from '../errors';
import { READERS } from './formatRegistry';
import { decodeXmlBytes } from './xmlSafety';

/**
 * The most translation units an XLIFF file may hold (`<trans-unit>` of 1.x, `<unit>` of 2.0): a
 * book of 10,000 paragraphs is far below it, and a file beyond it is refused (413) before it is
 * parsed, so that no file can take the server's memory.
 */
export const MAX_IMPORT_UNITS = 50_000;

/** Unit elements in an XLIFF text, counted on the text before any parse (an upper bound: one in a comment counts too). */
function countUnits(text: string): number {
  const unit = /<(?:[A-Za-z_][\w.-]*:)?(?:trans-unit|unit)[\s/>]/g;
  let count = 0;
  while (count <= MAX_IMPORT_UNITS && unit.exec(text)) count++;
  return count;
}

/**
 * Reads an uploaded XLIFF file (1.1, 1.2 or 2.0) into the interchange model: its encoding decoded
 * (the one it declares named when refused), its units counted (413 beyond MAX_IMPORT_UNITS),
 * parsed safely. A fault of the file is the sender's (400, see readUpload).
 */
export function readInterchange(bytes: Uint8Array, name: string): InterchangeFile {
  return readUpload(() => {
    const text = decodeXmlBytes(bytes, { file: name });
    const units = countUnits(text);
    if (units > MAX_IMPORT_UNITS) {
      throw new WorkbenchError(413, 'xliff-too-many-units', `${name} holds more than ${MAX_IMPORT_UNITS.toLocaleString('en')} translation units: import it in parts of at most ${MAX_IMPORT_UNITS.toLocaleString('en')}.`, {
        details: { limit: MAX_IMPORT_UNITS },
      });
    }
    return READERS.xliff(text, { file: name });
  });
}
