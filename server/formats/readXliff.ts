/**
 * Reads XLIFF files made by other CAT tools (1.0, 1.1, 1.2 and 2.0) into one interchange model, for
 * importing translations. Lenient where tools differ (no namespace, groups, several files), strict
 * where guessing would lose text: a unit with inline codes is skipped, and says why.
 */
import type { InterchangeFile, InterchangeStatus, InterchangeUnit } from '../domain/interchange';
import { WorkbenchError } from '../errors';
import { read1 } from './readXliff1';
import { read2 } from './readXliff2';
import { XLIFF20_NS } from './xliff20';
import { XLIFF12_NS } from './xliff12Vocabulary';
import { parseXmlSafely } from './xmlSafety';

export type { InterchangeFile, InterchangeStatus, InterchangeUnit };

const XLIFF11_NS = 'urn:oasis:names:tc:xliff:document:1.1';
/** XLIFF 1.0 had no namespace; 1.1 and 1.2 files are read alike (1.2 only added to 1.1). */
const NAMESPACES_1 = new Set<string | null>([null, XLIFF11_NS, XLIFF12_NS]);
const VERSIONS_1 = new Set(['1.0', '1.1', '1.2']);
/** The version a namespace stands for, when a file leaves out its `version` attribute. */
const VERSION_OF_NAMESPACE = new Map<string | null, string>([
  [XLIFF11_NS, '1.1'],
  [XLIFF12_NS, '1.2'],
  [XLIFF20_NS, '2.0'],
]);
/** 2.1 keeps the 2.0 core and its namespace unchanged. */
const VERSIONS_2 = new Set(['2.0', '2.1']);

/**
 * Parses an XLIFF 1.0/1.1/1.2/2.0 file. Unsafe or malformed XML is refused by parseXmlSafely
 * (400 'xml-doctype-forbidden', 422 'xliff-malformed' with line and column); a root that is not a
 * supported `<xliff>` is 422 'xliff-unsupported'; `<file>`s that disagree on their languages are
 * 422 'xliff-languages-differ'.
 */
export function readXliff(content: string, ctx: { file: string }): InterchangeFile {
  const { file } = ctx;
  const root = parseXmlSafely(content, { file, malformedCode: 'xliff-malformed' }).documentElement;
  const unsupported = (reason: string): WorkbenchError => new WorkbenchError(422, 'xliff-unsupported', `${file}: ${reason}`, { details: { file }, params: { file, reason } });
  if (!root || root.localName !== 'xliff') {
    throw unsupported(`not an XLIFF file: the root element is <${root?.tagName ?? ''}>, not <xliff>`);
  }
  const ns = root.namespaceURI;
  // A missing version where the namespace names one (Weblate's and OmegaT's files) is that version.
  const version = root.getAttribute('version') || (VERSION_OF_NAMESPACE.get(ns) ?? '');
  if (ns === XLIFF20_NS) {
    if (!VERSIONS_2.has(version)) throw unsupported(`XLIFF version ${JSON.stringify(version)} is not supported in namespace ${ns} (only 2.0 and 2.1)`);
    return read2(root, version);
  }
  if (NAMESPACES_1.has(ns)) {
    if (!VERSIONS_1.has(version)) throw unsupported(`XLIFF version ${JSON.stringify(version)} is not supported (1.0, 1.1, 1.2, 2.0 and 2.1 are)`);
    return read1(root, version, file);
  }
  throw unsupported(`unknown XLIFF namespace ${ns}: expected ${XLIFF12_NS}, ${XLIFF11_NS}, ${XLIFF20_NS} or none`);
}
