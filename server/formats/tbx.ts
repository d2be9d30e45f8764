/**
 * TBX, the terminology exchange format (ISO 30042): reading glossaries written by other tools —
 * TBX v3 (`<tbx>`, conceptEntry / langSec / termSec) and the older TBX v2 (`<martif>`, termEntry /
 * langSet / tig or ntig) — and writing a language's glossary as TBX-Basic v3 (DCA style).
 *
 * A term's `administrativeStatus` (or TBX v2 `normativeAuthorization`) says how it may be used:
 * preferred and admitted terms are translations (the preferred first), deprecated, superseded and
 * not-recommended ones are forbidden translations.
 */
import { xmldomPackage } from '../lazyPackages';
import type { Element } from '@xmldom/xmldom';
import { WorkbenchError } from '../errors';
import { PARTS_OF_SPEECH } from '../domain/glossaryTerm';
import { languageServes } from '../domain/localeTag';
import { childElements, ownerDocumentOf, textOf } from './domEdit';
import type { GlossaryFile, GlossaryFileTerm, GlossaryWriteInput } from './glossaryFile';
import { appendIndented, closeIndented } from './indentedDom';
import { XML_NS, parseXmlSafely, serializeXmlDocument } from './xmlSafety';

export const TBX_NS = 'urn:iso:std:iso:30042:ed-2';
/** The schema of TBX-Basic v3 files (named in the file for tools that check it). */
const TBX_BASIC_RNG = 'https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng';
/** The note that marks a term matched only with its capitals (TBX has no data category for it). */
export const CASE_SENSITIVE_NOTE = 'case-sensitive';

/**
 * A DOCTYPE that only names the TBX DTD by its identifiers, as every `<martif>` file of Translate
 * Toolkit, Lokalize and Weblate has: the DTD is never read, so it is blanked (kept as spaces, so
 * lines and columns stay true) before the safe parse. Anything more — an internal subset, an entity
 * — reaches the parser and is refused there.
 */
const EXTERNAL_DOCTYPE = /^(\uFEFF?(?:<\?xml[^>]*\?>)?\s*)(<!DOCTYPE\s+(?:martif|tbx)\s+(?:PUBLIC\s+(?:"[^"<>[\]]*"|'[^'<>[\]]*')\s+(?:"[^"<>[\]]*"|'[^'<>[\]]*')|SYSTEM\s+(?:"[^"<>[\]]*"|'[^'<>[\]]*'))\s*>)/;

function blankExternalDoctype(content: string): string {
  return content.replace(EXTERNAL_DOCTYPE, (_whole, head: string, doctype: string) => head + doctype.replace(/[^\n]/g, ' '));
}

/** Element children by local name, whatever their namespace (TBX v2 files have none, v3 files TBX's). */
function children(parent: Element, ...names: string[]): Element[] {
  return childElements(parent).filter((el) => names.includes(el.localName ?? ''));
}

/** Descendants by local name, not looking inside elements named in `stop`. */
function descendants(root: Element, name: string, stop: readonly string[] = []): Element[] {
  const out: Element[] = [];
  const walk = (el: Element): void => {
    for (const child of childElements(el)) {
      if (child.localName === name) out.push(child);
      else if (!stop.includes(child.localName ?? '')) walk(child);
    }
  };
  walk(root);
  return out;
}

function langOf(el: Element): string {
  return el.getAttributeNS(XML_NS, 'lang') || el.getAttribute('xml:lang') || el.getAttribute('lang') || '';
}

type Status = 'preferred' | 'admitted' | 'forbidden';

function statusOf(value: string): Status {
  const v = value.toLowerCase();
  if (/deprecated|superseded|notrecommended|forbidden|obsolete/.test(v)) return 'forbidden';
  return v.includes('preferred') ? 'preferred' : 'admitted';
}

function partOfSpeechOf(value: string): string {
  const v = value.trim().toLowerCase().replace(/\s+/g, '');
  const found = PARTS_OF_SPEECH.find((p) => p.toLowerCase() === v);
  return found ?? (v === '' ? '' : 'other');
}

/** One term of a language section: its text, status, part of speech and notes. */
interface TermSection {
  text: string;
  status: Status;
  partOfSpeech: string;
  notes: string[];
  line?: number;
}

const TERM_SECTIONS = ['termSec', 'tig', 'ntig'];

function termSections(langSec: Element): TermSection[] {
  const out: TermSection[] = [];
  for (const section of children(langSec, ...TERM_SECTIONS)) {
    const term = descendants(section, 'term')[0];
    if (!term) continue;
    let status: Status = 'admitted';
    let partOfSpeech = '';
    for (const note of descendants(section, 'termNote')) {
      const type = note.getAttribute('type') ?? '';
      if (type === 'administrativeStatus' || type === 'normativeAuthorization') status = statusOf(textOf(note));
      else if (type === 'partOfSpeech') partOfSpeech = partOfSpeechOf(textOf(note));
    }
    const notes = [...descendants(section, 'note'), ...descendants(section, 'descrip').filter((d) => d.getAttribute('type') === 'definition')].map((n) => (n.textContent ?? '').trim());
    out.push({ text: (term.textContent ?? '').trim(), status, partOfSpeech, notes, line: term.lineNumber ?? undefined });
  }
  return out.filter((t) => t.text !== '');
}

/** The notes of an entry or a language section itself (not of its terms): definitions and notes. */
function ownNotes(el: Element): string[] {
  return children(el, 'note', 'descrip', 'descripGrp')
    .flatMap((n) => (n.localName === 'descripGrp' ? children(n, 'descrip') : [n]))
    .filter((n) => n.localName === 'note' || n.getAttribute('type') === 'definition')
    .map((n) => (n.textContent ?? '').trim())
    .filter(Boolean);
}

/**
 * Reads a TBX file: each source-language term of an entry becomes a glossary term, with the
 * entry's target-language terms as its translations (preferred first) and forbidden translations.
 * Unsafe or malformed XML is refused by parseXmlSafely (400 'xml-doctype-forbidden' for a DTD
 * subset or an entity, 400 'tbx-malformed' with line and column); a file with no entry in both
 * languages is 400 'glossary-wrong-language'.
 */
export function readTbx(content: string, ctx: { file: string; sourceLanguage: string; targetLanguage: string }): GlossaryFile {
  const { file } = ctx;
  const doc = parseXmlSafely(blankExternalDoctype(content), { file, malformedCode: 'tbx-malformed' });
  const root = doc.documentElement;
  if (!root || (root.localName !== 'tbx' && root.localName !== 'martif')) {
    throw new WorkbenchError(400, 'tbx-unsupported', `${file}: not a TBX file: the root element is <${root?.tagName ?? ''}>, not <tbx> or <martif>.`, { details: { file, line: 1 }, params: { file, root: root?.tagName ?? '' } });
  }
  const terms: GlossaryFileTerm[] = [];
  const languages = new Set<string>();
  let skipped = 0;
  let firstLine: number | undefined;
  for (const text of children(root, 'text')) {
    for (const body of children(text, 'body')) {
      for (const entry of children(body, 'conceptEntry', 'termEntry')) {
        firstLine ??= entry.lineNumber ?? undefined;
        const sources: TermSection[] = [];
        const targets: TermSection[] = [];
        const notes = ownNotes(entry);
        for (const langSec of children(entry, 'langSec', 'langSet')) {
          const lang = langOf(langSec);
          if (lang) languages.add(lang);
          if (languageServes(lang, ctx.sourceLanguage)) {
            sources.push(...termSections(langSec));
            notes.push(...ownNotes(langSec));
          } else if (languageServes(lang, ctx.targetLanguage)) {
            targets.push(...termSections(langSec));
            notes.push(...ownNotes(langSec));
          }
        }
        if (sources.length === 0 || targets.length === 0) {
          skipped++;
          continue;
        }
        const translations = [...targets.filter((t) => t.status === 'preferred'), ...targets.filter((t) => t.status === 'admitted')].map((t) => t.text);
        const forbidden = targets.filter((t) => t.status === 'forbidden').map((t) => t.text);
        for (const source of sources) {
          const own = source.notes.filter((n) => n !== CASE_SENSITIVE_NOTE);
          const note = [...notes, ...own, ...targets.flatMap((t) => t.notes)].filter((n, i, all) => n !== '' && all.indexOf(n) === i).join('\n');
          terms.push({
            source: source.text,
            translations,
            forbidden,
            partOfSpeech: source.partOfSpeech || targets.find((t) => t.partOfSpeech)?.partOfSpeech || '',
            note,
            caseSensitive: source.notes.includes(CASE_SENSITIVE_NOTE),
            line: source.line,
          });
        }
      }
    }
  }
  if (terms.length === 0) {
    const found = [...languages].join(', ') || 'none';
    throw new WorkbenchError(400, 'glossary-wrong-language', `${file}: no entry has terms in both ${ctx.sourceLanguage} and ${ctx.targetLanguage} (the file's languages: ${found}).`, {
      details: { file, line: firstLine ?? 1 },
      params: { file, source: ctx.sourceLanguage, target: ctx.targetLanguage, found, context: 'entries' },
    });
  }
  return { terms, skipped };
}

/** Writes a language's glossary as TBX-Basic v3 (DCA): one conceptEntry per term. */
export function buildTbx(input: GlossaryWriteInput): string {
  const doc = new (xmldomPackage().DOMImplementation)().createDocument(TBX_NS, 'tbx', null);
  doc.insertBefore(doc.createProcessingInstruction('xml-model', `href="${TBX_BASIC_RNG}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"`), doc.documentElement);
  doc.insertBefore(doc.createTextNode('\n'), doc.documentElement);
  const root = doc.documentElement as Element;
  root.setAttribute('type', 'TBX-Basic');
  root.setAttribute('style', 'dca');
  root.setAttributeNS(XML_NS, 'xml:lang', input.sourceLanguage);
  const add = (parent: Element, name: string, depth: number, text?: string): Element => {
    const el = appendIndented(parent, name, depth, TBX_NS);
    if (text !== undefined) el.appendChild(ownerDocumentOf(el).createTextNode(text));
    return el;
  };
  const header = add(root, 'tbxHeader', 1);
  const fileDesc = add(header, 'fileDesc', 2);
  const titleStmt = add(fileDesc, 'titleStmt', 3);
  add(titleStmt, 'title', 4, input.title);
  closeIndented(titleStmt, 3);
  const sourceDesc = add(fileDesc, 'sourceDesc', 3);
  add(sourceDesc, 'p', 4, input.tool);
  closeIndented(sourceDesc, 3);
  closeIndented(fileDesc, 2);
  closeIndented(header, 1);
  const text = add(root, 'text', 1);
  const body = add(text, 'body', 2);
  for (const term of input.terms) {
    const entry = add(body, 'conceptEntry', 3);
    entry.setAttribute('id', `c-${term.id}`);
    if (term.note) add(entry, 'note', 4, term.note);
    const section = (lang: string, texts: { text: string; status?: string; partOfSpeech?: string; caseSensitive?: boolean }[]): void => {
      const langSec = add(entry, 'langSec', 4);
      langSec.setAttributeNS(XML_NS, 'xml:lang', lang);
      for (const t of texts) {
        const termSec = add(langSec, 'termSec', 5);
        add(termSec, 'term', 6, t.text);
        if (t.partOfSpeech) add(termSec, 'termNote', 6, t.partOfSpeech).setAttribute('type', 'partOfSpeech');
        if (t.status) add(termSec, 'termNote', 6, t.status).setAttribute('type', 'administrativeStatus');
        if (t.caseSensitive) add(termSec, 'note', 6, CASE_SENSITIVE_NOTE);
        closeIndented(termSec, 5);
      }
      closeIndented(langSec, 4);
    };
    section(input.sourceLanguage, [{ text: term.source, partOfSpeech: term.partOfSpeech || undefined, caseSensitive: term.caseSensitive }]);
    const targets = [
      ...term.translations.map((t, i) => ({ text: t, status: i === 0 ? 'preferredTerm-admn-sts' : 'admittedTerm-admn-sts', partOfSpeech: term.partOfSpeech || undefined })),
      ...term.forbidden.map((t) => ({ text: t, status: 'deprecatedTerm-admn-sts', partOfSpeech: term.partOfSpeech || undefined })),
    ];
    if (targets.length > 0) section(input.targetLanguage, targets);
    closeIndented(entry, 3);
  }
  if (input.terms.length > 0) closeIndented(body, 2);
  closeIndented(text, 1);
  closeIndented(root, 0);
  return serializeXmlDocument(doc);
}

