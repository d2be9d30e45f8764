/**
 * An existing translation brought into a language by alignment: the uploaded text is segmented as
 * sources are, aligned with the document's paragraphs (see alignBlocks), shown as a preview (lowest
 * confidence first) that a reviewer adjusts (merge, split, move a boundary) and confirms. Nothing
 * is written before that. Confirmed links fill the locale: each paragraph translated (never
 * approved), one history entry `aligned` credited to the uploader naming the file; paragraphs
 * already translated are conflicts, kept unless chosen; a paragraph saved since the preview is
 * never overwritten.
 */
import { randomBytes } from 'node:crypto';
import { alignBlocks, type AlignBlock, type AlignLink } from '../domain/alignBlocks';
import { formatOfName } from '../domain/decodeSourceUpload';
import { readSource } from '../domain/segmentDocument';
import type { HistoryEntry } from '../domain/historyEntry';
import type { Segment, SourceDocument, Unit } from '../domain/types';
import { WorkbenchError } from '../errors';
import { decodeTextUpload } from '../formats/decodeTextUpload';
import type { StagedAlignment, StagedAlignmentRepository, StagedLink } from '../storage/stagedAlignmentRepository';
import { commitWithHistory } from './commitWithHistory';
import type { WorkbenchStores } from './syncLocale';
import type { Workbench } from './workbench';
import { canonicalLocale } from '../domain/localeTag';

/** How long a preview waits for its confirmation. */
const STAGED_FOR_MS = 24 * 60 * 60 * 1000;
const STAGE_ID = /^[0-9a-f]{32}$/;
/** Below this confidence a link is doubtful; an alignment with most links doubtful is refused. */
export const CONFIDENCE_FLOOR = 0.15;

/** A link as the preview shows it. */
export interface AlignmentLinkView {
  /** Its place among the links (document order): what an adjustment names. */
  index: number;
  kind: string;
  confidence: number;
  /** Adjusted by a reviewer (its confidence is theirs). */
  adjusted: boolean;
  source: { id: string; text: string; translated: boolean }[];
  target: string[];
}

export interface AlignmentPreview {
  /** The staged preview's id (none for a dry run). */
  id?: string;
  document: string;
  lang: string;
  name: string;
  counts: { sourceBlocks: number; targetBlocks: number; links: number; byKind: Record<string, number>; doubtful: number };
  /** Links in document order. */
  links: AlignmentLinkView[];
  /** The links' indices, lowest confidence first: what a reviewer looks at first. */
  review: number[];
  /** Paragraphs that already have a translation here: kept unless chosen. */
  conflicts: string[];
}

export interface AlignmentResult {
  document: string;
  lang: string;
  written: number;
  /** Paragraphs left as they were: translated before and not chosen, or saved since the preview. */
  conflicts: { id: string; reason: 'translated' | 'saved-since' }[];
  /** Paragraphs given a text that covers them with the one before (a link of several paragraphs): marked as needing work. */
  needsWork: number;
}

export type AlignmentAdjustment = { action: 'merge'; link: number } | { action: 'split'; link: number } | { action: 'shift'; link: number; side: 'source' | 'target'; by: 1 | -1 };

export class Alignments {
  constructor(
    private readonly deps: {
      workbench: Workbench;
      stores: WorkbenchStores;
      staged: StagedAlignmentRepository;
      /** What the project vouches for in a language, as anchors (see alignBlocks): its glossary's terms, its memories' short pairs. */
      terms?: (lang: string, sourceLanguage: string) => Promise<{ source: string; targets: string[] }[]>;
    },
  ) {}

  /**
   * Aligns an uploaded translation with a document: the preview, staged for adjustment and
   * confirmation unless `dryRun`. Refused with the reason: an empty file, a file in the source's
   * own language, a text with no plausible alignment.
   */
  async preview(documentId: string, langInput: unknown, bytes: Uint8Array, options: { name: string; who: string; dryRun?: boolean }): Promise<AlignmentPreview> {
    const document = await this.deps.workbench.document(documentId);
    const lang = canonicalLocale(langInput);
    if (lang === document.meta.language) throw new WorkbenchError(400, 'locale-is-source', `"${document.meta.title}" is written in ${lang}: align a translation into another language.`, { params: { title: document.meta.title, locale: lang } });
    const text = decodeTextUpload(bytes, options.name);
    const format = formatOfName(options.name) === 'text' ? 'text' : 'markdown';
    const blocks: AlignBlock[] = readSource(document.id, text, format)
      .blocks.filter((b) => b.translatable)
      .map((b) => ({ kind: b.kind, level: b.level, ordered: b.ordered, text: b.text }));
    if (blocks.length === 0) throw new WorkbenchError(400, 'align-empty', `${options.name} has no paragraph to align.`, { params: { name: options.name } });
    const paragraphs = translatable(document);
    const terms = (await this.deps.terms?.(lang, document.meta.language).catch(() => [])) ?? [];
    const links = alignBlocks(paragraphs, blocks, { terms });
    refuseSameLanguage(paragraphs, blocks, links, options.name);
    const doubtful = links.filter((l) => l.confidence < CONFIDENCE_FLOOR).length;
    if (doubtful * 2 > links.length) {
      throw new WorkbenchError(422, 'align-implausible', `${options.name} does not read as a translation of "${document.meta.title}": ${doubtful} of its ${links.length} links are doubtful. Check that it is the right text for this document.`, {
        params: { name: options.name, title: document.meta.title, doubtful, links: links.length },
      });
    }
    const units = await this.unitsOf(document.id, lang);
    const revisions: Record<string, number> = {};
    for (const p of paragraphs) revisions[p.id] = units.get(p.id)?.revision ?? 0;
    const staged: StagedAlignment = {
      id: randomBytes(16).toString('hex'),
      document: document.id,
      locale: lang,
      name: options.name,
      who: options.who,
      at: new Date().toISOString(),
      blocks,
      links: links.map((l) => ({ source: l.source, target: l.target })),
      revisions,
      // Kept: a view after an adjustment scores its links by these, not by aligning again (seconds on a book).
      scored: links.map((l) => ({ source: l.source, target: l.target, confidence: l.confidence })),
    };
    if (!options.dryRun) {
      await this.deps.staged.sweep(new Date(Date.now() - STAGED_FOR_MS).toISOString());
      await this.deps.staged.add(staged);
    }
    return { ...this.view(document, staged, units, links), ...(options.dryRun ? {} : { id: staged.id }) };
  }

  /** A staged preview as it now is (after adjustments). 404 when unknown, expired, or someone else's. */
  async staged(id: string, who: string): Promise<AlignmentPreview> {
    return this.previewOf(await this.find(id, who));
  }

  /** The preview of a staged alignment as it is. */
  private async previewOf(staged: StagedAlignment): Promise<AlignmentPreview> {
    const document = await this.deps.workbench.document(staged.document);
    // The anchors, only to align again a preview staged without the aligner's links (see rescore).
    const terms = staged.scored ? [] : ((await this.deps.terms?.(staged.locale, document.meta.language).catch(() => [])) ?? []);
    return { ...this.view(document, staged, await this.unitsOf(document.id, staged.locale), undefined, terms), id: staged.id };
  }

  /** Adjusts a staged preview's links (merge a link with the next, split one, move a boundary); the preview after it. */
  async adjust(id: string, who: string, adjustment: AlignmentAdjustment): Promise<AlignmentPreview> {
    const staged = await this.find(id, who);
    staged.links = adjusted(staged.links, adjustment);
    await this.deps.staged.setLinks(staged.id, staged.links);
    return this.previewOf(staged);
  }

  /**
   * Confirms a staged preview: its links fill the locale (started if it has no file yet). `overwrite`
   * names paragraphs translated before the preview whose translation the alignment replaces.
   */
  async confirm(id: string, who: string, options: { overwrite?: readonly string[] } = {}): Promise<AlignmentResult> {
    const staged = await this.find(id, who);
    const result = await this.apply(staged, new Set(options.overwrite ?? []));
    await this.deps.staged.remove(staged.id);
    return result;
  }

  /** Aligns and confirms at once, every link as the aligner made it (the API and CLI without a preview). */
  async alignNow(documentId: string, lang: unknown, bytes: Uint8Array, options: { name: string; who: string; overwrite?: readonly string[] }): Promise<AlignmentResult & { preview: AlignmentPreview }> {
    const preview = await this.preview(documentId, lang, bytes, { ...options, dryRun: false });
    const result = await this.confirm(preview.id ?? '', options.who, { overwrite: options.overwrite });
    return { ...result, preview };
  }

  private async find(id: string, who: string): Promise<StagedAlignment> {
    const gone = new WorkbenchError(404, 'alignment-not-found', 'This alignment is no longer waiting (it was confirmed, or is over a day old): upload the file again.');
    if (!STAGE_ID.test(id)) throw gone;
    const staged = await this.deps.staged.get(id);
    if (!staged || staged.who !== who || Date.now() - Date.parse(staged.at) > STAGED_FOR_MS) throw gone;
    return staged;
  }

  /** The units of a locale by id (none when it has no file yet). */
  private async unitsOf(document: string, lang: string): Promise<Map<string, Unit>> {
    const file = await this.deps.stores.locales.peek(document, lang, (f) => f).catch(() => undefined);
    return new Map((file?.units ?? []).map((u) => [u.id, u as Unit]));
  }

  /** The preview of staged links: scored by the aligner that made them (`scored`), or scored again (after adjustments). */
  private view(document: SourceDocument, staged: StagedAlignment, units: Map<string, Unit>, scored?: AlignLink[], terms: { source: string; targets: string[] }[] = []): Omit<AlignmentPreview, 'id'> {
    const paragraphs = translatable(document);
    refuseChangedSource(document, paragraphs, staged);
    const byKind: Record<string, number> = {};
    const links: AlignmentLinkView[] = staged.links.map((link, index) => {
      const kind = `${link.source.length}-${link.target.length}`;
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      return {
        index,
        kind,
        confidence: round(scored?.[index]?.confidence ?? 1),
        adjusted: false,
        source: link.source.map((i) => ({ id: paragraphs[i].id, text: paragraphs[i].text, translated: Boolean(units.get(paragraphs[i].id)?.target) })),
        target: link.target.map((j) => staged.blocks[j].text),
      };
    });
    if (!scored) rescore(paragraphs, staged, links, terms);
    const review = [...links].sort((a, b) => a.confidence - b.confidence || a.index - b.index).map((l) => l.index);
    const conflicts = links.flatMap((l) => (l.target.length ? l.source.filter((s) => s.translated).map((s) => s.id) : []));
    return {
      document: document.id,
      lang: staged.locale,
      name: staged.name,
      counts: { sourceBlocks: paragraphs.length, targetBlocks: staged.blocks.length, links: links.length, byKind, doubtful: links.filter((l) => l.confidence < CONFIDENCE_FLOOR).length },
      links,
      review,
      conflicts,
    };
  }

  private async apply(staged: StagedAlignment, overwrite: ReadonlySet<string>): Promise<AlignmentResult> {
    const document = await this.deps.workbench.document(staged.document);
    const paragraphs = translatable(document);
    refuseChangedSource(document, paragraphs, staged);
    const lang = staged.locale;
    if (!(await this.deps.stores.locales.listLocales(document.id)).includes(lang)) await this.deps.workbench.startLocale(document.id, lang);
    const conflicts: AlignmentResult['conflicts'] = [];
    let needsWork = 0;
    const at = new Date().toISOString();
    const entries: HistoryEntry[] = [];
    await this.deps.stores.lock.hold(async () => {
      const prepared = await this.deps.stores.locales.prepareUpdate(document.id, lang, (file) => {
        const byId = new Map(file.units.map((u) => [u.id, u]));
        for (const link of staged.links) {
          if (link.source.length === 0 || link.target.length === 0) continue;
          const text = link.target.map((j) => staged.blocks[j].text).join(' ');
          for (const [k, i] of link.source.entries()) {
            const paragraph = paragraphs[i];
            let unit = byId.get(paragraph.id);
            if (!unit) {
              unit = { id: paragraph.id, source: paragraph.text, approved: false, revision: 0, notes: [] };
              file.units.push(unit);
              byId.set(unit.id, unit);
            }
            if (unit.revision !== staged.revisions[paragraph.id]) {
              conflicts.push({ id: paragraph.id, reason: 'saved-since' });
              continue;
            }
            if (unit.target && !overwrite.has(paragraph.id)) {
              conflicts.push({ id: paragraph.id, reason: 'translated' });
              continue;
            }
            const before = { target: unit.target, state: unit.state };
            unit.target = text;
            unit.source = paragraph.text;
            unit.sourceVersion = document.version;
            // The first paragraph of a link takes its text; the others are covered by it, to be split by a translator.
            unit.state = k === 0 ? 'translated' : 'needs-translation';
            if (k > 0) needsWork++;
            unit.approved = false;
            unit.machine = undefined;
            unit.previous = undefined;
            unit.revision += 1;
            entries.push({ at, who: staged.who, segment: unit.id, action: 'aligned', before, after: { target: unit.target, state: unit.state, file: staged.name }, version: document.version });
          }
        }
      });
      await commitWithHistory(this.deps.stores, prepared, document.id, lang, entries);
    });
    return { document: document.id, lang, written: entries.length, conflicts, needsWork };
  }
}

/**
 * Confidences of a staged preview: the aligner's where its links are the aligner's (a link split and
 * merged back is the aligner's again), 1 (and adjusted) where a reviewer made them. The aligner's
 * links are those kept with the preview; a preview staged without them is aligned again.
 */
function rescore(paragraphs: Segment[], staged: StagedAlignment, links: AlignmentLinkView[], terms: { source: string; targets: string[] }[]): void {
  const fresh = staged.scored ?? alignBlocks(paragraphs, staged.blocks, { terms });
  const key = (l: StagedLink): string => `${l.source.join(',')}|${l.target.join(',')}`;
  const byKey = new Map(fresh.map((l) => [key(l), l.confidence]));
  for (const [k, link] of staged.links.entries()) {
    const confidence = byKey.get(key(link));
    links[k].confidence = confidence === undefined ? 1 : round(confidence);
    links[k].adjusted = confidence === undefined;
  }
}

/** Refuses (409) a staged alignment made against another version of the document's paragraphs. */
function refuseChangedSource(document: SourceDocument, paragraphs: readonly Segment[], staged: StagedAlignment): void {
  if (Object.keys(staged.revisions).length !== paragraphs.length || paragraphs.some((p) => !Object.hasOwn(staged.revisions, p.id))) {
    throw new WorkbenchError(409, 'align-source-changed', `The source of "${document.meta.title}" changed since this alignment was made: upload the translation again.`, { params: { title: document.meta.title } });
  }
}

/** The document's paragraphs the aligner links (its translatable blocks, in order). */
function translatable(document: SourceDocument): Segment[] {
  return document.segments.filter((s) => s.translatable);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** How many one-to-one links refuseSameLanguage compares at most: evenly spread over the text. */
const SAME_LANGUAGE_SAMPLE = 1000;

/**
 * Refuses a file in the source's own language: most of its linked blocks say what their source
 * paragraphs say (the same words, give or take punctuation and case). A book's links are compared
 * one in so many (up to SAME_LANGUAGE_SAMPLE of them, from the whole text): the words of all of
 * them were a sixth of a book's preview, for a question a thousand answer as well.
 */
function refuseSameLanguage(paragraphs: readonly Segment[], blocks: readonly AlignBlock[], links: readonly AlignLink[], name: string): void {
  const words = (text: string): Set<string> => new Set(text.toLowerCase().match(/\p{L}+/gu) ?? []);
  const oneToOne = links.filter((link) => link.source.length === 1 && link.target.length === 1);
  const step = Math.max(1, oneToOne.length / SAME_LANGUAGE_SAMPLE);
  let same = 0;
  let compared = 0;
  for (let at = 0; at < oneToOne.length; at += step) {
    const link = oneToOne[Math.floor(at)];
    compared++;
    const a = words(paragraphs[link.source[0]].text);
    const b = words(blocks[link.target[0]].text);
    if (a.size === 0 || b.size === 0) continue;
    let common = 0;
    for (const w of a) if (b.has(w)) common++;
    if (common / Math.max(a.size, b.size) >= 0.8) same++;
  }
  if (compared > 0 && same * 2 > compared) {
    throw new WorkbenchError(422, 'align-same-language', `${name} is in the document's own language (${same} of ${compared} paragraphs compared say what the source says): upload a translation.`, { params: { name, same, compared } });
  }
}

/** The links after a reviewer's adjustment (400 for one that cannot be made). */
export function adjusted(links: readonly StagedLink[], adjustment: AlignmentAdjustment): StagedLink[] {
  const k = adjustment.link;
  const bad = (why: string) => new WorkbenchError(400, 'align-adjustment-invalid', why);
  if (!Number.isInteger(k) || k < 0 || k >= links.length) throw bad(`There is no link ${k}.`);
  const out = links.map((l) => ({ source: [...l.source], target: [...l.target] }));
  switch (adjustment.action) {
    case 'merge': {
      if (k + 1 >= out.length) throw bad('The last link has no next link to merge with.');
      const [a, b] = [out[k], out[k + 1]];
      out.splice(k, 2, { source: [...a.source, ...b.source], target: [...a.target, ...b.target] });
      return out.filter((l) => l.source.length || l.target.length);
    }
    case 'split': {
      const { source, target } = out[k];
      if (source.length + target.length <= 2 && (source.length === 0 || target.length === 0 || (source.length === 1 && target.length === 1))) throw bad('This link holds one block on each side at most: there is nothing to split.');
      const pieces: StagedLink[] = [];
      for (let p = 0; p < Math.max(source.length, target.length); p++) pieces.push({ source: p < source.length ? [source[p]] : [], target: p < target.length ? [target[p]] : [] });
      out.splice(k, 1, ...pieces);
      return out;
    }
    case 'shift': {
      if (k + 1 >= out.length) throw bad('The last link has no boundary after it to move.');
      const side = adjustment.side;
      const [a, b] = [out[k][side], out[k + 1][side]];
      if (adjustment.by === 1) {
        if (b.length === 0) throw bad(`The next link has no ${side} block to take.`);
        a.push(b.shift() as number);
      } else {
        if (a.length === 0) throw bad(`This link has no ${side} block to give.`);
        b.unshift(a.pop() as number);
      }
      return out.filter((l) => l.source.length || l.target.length);
    }
    default:
      throw bad('Unknown adjustment: use merge, split or shift.');
  }
}
