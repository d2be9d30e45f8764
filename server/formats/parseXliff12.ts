/** Reading an XLIFF 1.2 locale file into the model, keeping the DOM (and the text, for the next write) beside it. */
import type { LocaleFile, Unit } from '../domain/types';
import { WorkbenchError } from '../errors';
import { childElements, firstChildElement } from './domEdit';
import { fileGroup, type ParsedXliff12, readWholeNumber, type UnitSlot } from './xliff12Model';
import { documentTexts, isTrackedName, parsedText } from './xliff12Text';
import { readUnit, unitParts, writesAsRead } from './xliff12Unit';
import { countIn, FILE_GROUP, SOURCE_VERSION_COUNT_TYPE, transUnits, XLIFF12_NS } from './xliff12Vocabulary';
import { parseXmlSafely, parseXmlTracking } from './xmlSafety';

/**
 * Reads an XLIFF 1.2 locale file. `ctx.bytes`, when given, are the bytes `content` was decoded from
 * (UTF-8): they are kept, for the next update to copy what it does not change.
 */
export function parseXliff12(content: string, ctx: { file: string; bytes?: Uint8Array }): ParsedXliff12 {
  const { file } = ctx;
  // Without node positions (faster); the one error message that quotes a line re-parses with them.
  const track = { names: isTrackedName, spans: [] as number[] };
  const { doc: dom, source } = parseXmlTracking(content, { file, malformedCode: 'xliff-malformed', nodePositions: false }, track);
  const invalid = (reason: string): WorkbenchError =>
    new WorkbenchError(422, 'xliff-invalid', `${file}: not an XLIFF 1.2 locale file: ${reason}`, { details: { file }, params: { file, reason } });

  const root = dom.documentElement;
  if (!root || root.localName !== 'xliff' || root.namespaceURI !== XLIFF12_NS) {
    throw invalid(`the root element must be <xliff xmlns="${XLIFF12_NS}">, found <${root?.nodeName}> in namespace ${root?.namespaceURI ?? '(none)'}`);
  }
  if (root.getAttribute('version') !== '1.2') throw invalid(`version must be "1.2", found ${JSON.stringify(root.getAttribute('version'))}`);
  const files = childElements(root, XLIFF12_NS, 'file');
  if (files.length !== 1) throw invalid(`expected exactly one <file>, found ${files.length}`);
  const fileEl = files[0];
  const body = firstChildElement(fileEl, XLIFF12_NS, 'body');
  if (!body) throw invalid('<file> has no <body>');
  const requiredAttr = (name: string): string => {
    const value = fileEl.getAttribute(name);
    if (!value) throw invalid(`<file> has no ${name} attribute`);
    return value;
  };

  const units: Unit[] = [];
  const index = new Map<string, UnitSlot>();
  for (const tu of transUnits(body)) {
    if (!tu.getAttribute('id')) throw invalid(`a <trans-unit> has no id (line ${unitLine(content, file, units.length) ?? '?'})`);
    const parts = unitParts(tu);
    const unit = readUnit(tu, invalid, parts);
    if (index.has(unit.id)) throw invalid(`duplicate trans-unit id "${unit.id}"`);
    index.set(unit.id, { element: tu, position: units.length, written: writesAsRead(tu, unit, parts) });
    units.push(unit);
  }
  const model: LocaleFile = {
    document: requiredAttr('original'),
    sourceLanguage: requiredAttr('source-language'),
    targetLanguage: requiredAttr('target-language'),
    units,
  };
  const sourceVersion = readWholeNumber(countIn(fileGroup(fileEl), SOURCE_VERSION_COUNT_TYPE), (raw) =>
    invalid(`the file's source version (<header><count-group name="${FILE_GROUP}">) must be a whole number, found "${raw}"`),
  );
  if (sourceVersion !== undefined) model.sourceVersion = sourceVersion;
  const text = parsedText(dom, source, content, ctx.bytes, track.spans, fileEl, index);
  if (text) documentTexts.set(dom, text);
  return { model, dom, unitIndex: index };
}

/** The line of the `index`-th trans-unit of a well-formed file: parses it again, with node positions this time. */
export function unitLine(content: string, file: string, index: number): number | undefined {
  const root = parseXmlSafely(content, { file }).documentElement;
  const fileEl = root && firstChildElement(root, XLIFF12_NS, 'file');
  const body = fileEl && firstChildElement(fileEl, XLIFF12_NS, 'body');
  return body ? transUnits(body)[index]?.lineNumber : undefined;
}
