import { fuzzyScore } from '../domain/fuzzyScore';
import { sentencesOf } from '../domain/sentencesOf';
import { wordDiff, type WordDiffPart } from '../domain/wordDiff';
import { workflowState } from '../domain/workflowState';
import { isWorkbenchError, WorkbenchError } from '../errors';
import type { FoundPair, IndexedPair, MemoryIndex, PairOrigin, ParagraphPairs } from '../storage/memoryIndex';
import { changedSince, segmentsOf } from './localeTally';
import type { Memories } from './memories';
import type { LocaleContext, Workbench } from './workbench';
import { turnTaker } from './turnTaker';

/** A suggestion of the memory for a paragraph. */
export interface MemoryMatch {
  /** The source text the translation is of (the paragraph's own, for a translation assembled from sentences). */
  source: string;
  target: string;
  /** 100 for the same text; else the word-level edit distance as a percentage (see fuzzyScore). */
  score: number;
  /** From the match's source to the paragraph's (what the translation has to follow). */
  diff: WordDiffPart[];
  origin: PairOrigin;
  level: 'paragraph' | 'sentence';
  /** Of a translation from an imported memory: the memory's file name. */
  memory?: string;
  /** Of a translation assembled from the matches of the paragraph's sentences: those matches, in order. */
  parts?: { source: string; target: string; score: number; origin: PairOrigin }[];
}

/** Paragraphs written to the index in one transaction when many changed. */
const SYNC_CHUNK = 50;
/** Matches below this score are not shown. */
export const MIN_SCORE = 60;
/** At most this many matches for a paragraph. */
export const MAX_MATCHES = 5;
/** A whole match this good is not bettered by one assembled from sentences. */
const GOOD_MATCH = 90;
/** Texts looked at for each search (the best by their words first). */
const CANDIDATES = 60;
/** Texts looked at for each sentence of a paragraph assembled from its sentences (only the best one of each is used). */
const SENTENCE_CANDIDATES = 20;

/**
 * The project's translation memory: every paragraph translated in the project (approved ones
 * first, then translated ones; never drifted or sent-back text), at paragraph and at sentence
 * level, and the memories imported into each language, searched by their words and scored as
 * OmegaT scores. The index (see MemoryIndex) is brought up to date with a locale file whenever the
 * file is looked at after a change (a version of a file is read once per change however many
 * lookups follow), so what any process wrote, a save, an approval, an import or a source update,
 * is in the next lookup.
 */
export class TranslationMemory {
  /** Versions of locale files (the store's models) whose paragraphs the index holds. */
  private readonly synced = new WeakSet<object>();
  /** What the index holds of each document's locale, by paragraph, as this process last put it. */
  private readonly mirrors = new Map<string, Map<string, IndexedPair>>();
  /**
   * The document and the version of the file each mirror was last brought up to date from: a
   * version made by saves says which units they changed (changedSince), and only those are looked
   * at again; otherwise a version shares the unit objects it did not change with the one before,
   * so the changed ones are found by identity.
   */
  private readonly seen = new Map<string, { document: object; file: LocaleContext['file']; units: ReadonlyMap<string, object> }>();

  constructor(private readonly deps: { workbench: Workbench; memories: Memories; index: () => MemoryIndex }) {}

  /** The memory's matches for a paragraph of a document's locale (404 for a paragraph that is not there or not translated). */
  async matches(documentId: string, lang: string, segmentId: string): Promise<MemoryMatch[]> {
    const context = await this.deps.workbench.locale(documentId, lang);
    const { document } = context;
    const segment = segmentsOf(document).get(segmentId);
    if (!segment?.translatable) throw new WorkbenchError(404, 'segment-not-found', `"${document.meta.title}" has no paragraph "${segmentId}".`, { params: { title: document.meta.title, id: String(segmentId) } });
    const code = context.locale.code;
    const sourceLanguage = document.meta.language;
    await this.catchUp(code, sourceLanguage);
    const names = new Map((await this.deps.memories.list(code)).map((info) => [info.id, info.name]));
    const own = (origin: PairOrigin): boolean => 'document' in origin && origin.document === document.id && origin.segment === segment.id;
    const scored = this.best(sourceLanguage, code, segment.text, own);
    // A text repeated through a book is several matches with one source: its diff is worked out once.
    const diffs = new Map<string, WordDiffPart[]>();
    const diffOf = (source: string): WordDiffPart[] => diffs.get(source) ?? diffs.set(source, wordDiff(source, segment.text)).get(source) as WordDiffPart[];
    const matches: MemoryMatch[] = scored.map(({ pair, score }) => this.matchOf(pair, score, names, diffOf));
    const sentences = sentencesOf(segment.text, sourceLanguage);
    // No good whole match (90% or more): a translation made of the best matches of its sentences,
    // offered when every sentence has one and it scores better than the best whole match.
    const bestWhole = matches[0]?.score ?? 0;
    if (bestWhole < GOOD_MATCH && sentences.length > 1) {
      const parts: NonNullable<MemoryMatch['parts']> = [];
      for (const sentence of sentences) {
        const [best] = this.best(sourceLanguage, code, sentence, own, 1, SENTENCE_CANDIDATES);
        if (!best) break;
        parts.push({ source: best.pair.source, target: best.pair.target, score: best.score, origin: this.originOf(best.pair.origin) });
      }
      if (parts.length === sentences.length) {
        // Scored as the sentences it is made of, each by its words.
        const words = sentences.map((sentence) => Math.max(1, queryWords(sentence, Infinity).length));
        const total = words.reduce((a, b) => a + b, 0);
        const score = Math.min(99, Math.round(parts.reduce((sum, part, i) => sum + part.score * words[i], 0) / total));
        if (score >= MIN_SCORE && score > bestWhole) {
          const source = parts.map((part) => part.source).join(' ');
          matches.push({ source, target: parts.map((part) => part.target).join(' '), score, diff: wordDiff(source, segment.text), origin: parts[0].origin, level: 'sentence', parts });
        }
      }
    }
    matches.sort((a, b) => b.score - a.score);
    return matches.slice(0, MAX_MATCHES);
  }

  /** Brings the index up to date with every document's locale `lang`, and the memories imported into it. */
  async catchUp(lang: string, sourceLanguage: string): Promise<void> {
    for (const id of await this.deps.workbench.documentIds()) {
      let context: LocaleContext;
      try {
        context = await this.deps.workbench.locale(id, lang);
      } catch (err) {
        if (isWorkbenchError(err) && err.status < 500) continue; // no such locale (or a document that cannot be read: its page says why)
        throw err;
      }
      if (context.document.meta.language === sourceLanguage) await this.sync(context);
    }
    for (const info of await this.deps.memories.list(lang)) {
      if (this.deps.index().hasMemory(lang, info.id)) continue;
      const pairs = await this.deps.memories.pairs(lang, sourceLanguage, info);
      const indexed: IndexedPair[] = [];
      for (const { source, target } of pairs) indexed.push({ source, target, quality: 1, level: 'paragraph' }, ...sentencePairs(source, target, 1, sourceLanguage, lang));
      this.deps.index().putMemory(sourceLanguage, lang, info.id, indexed);
    }
  }

  /**
   * Brings the index up to date with every language of the project (a server does it a moment
   * after it starts: the first lookup of a language then does not index a book's translations).
   */
  async warm(): Promise<void> {
    const done = new Set<string>();
    for (const summary of await this.deps.workbench.listDocuments()) {
      for (const { code } of summary.locales) {
        const key = `${code}\u0000${summary.language}`;
        if (done.has(key)) continue;
        done.add(key);
        await this.catchUp(code, summary.language);
      }
    }
  }

  /**
   * Puts a version of a locale file into the index: the paragraphs that changed since the version
   * before. Many of them (a book indexed for the first time) are written a few hundred at a time,
   * the server answering other requests in between (one transaction of a book's 16,000 held saves
   * back for seconds).
   */
  async sync(context: LocaleContext): Promise<void> {
    if (this.synced.has(context.file)) return;
    // The same version being put in already (the warm-up and a lookup): waited for, not done twice.
    const running = this.syncing.get(context.file);
    if (running) return running;
    const done = this.syncVersion(context).finally(() => this.syncing.delete(context.file));
    this.syncing.set(context.file, done);
    return done;
  }

  private readonly syncing = new WeakMap<object, Promise<void>>();

  private async syncVersion(context: LocaleContext): Promise<void> {
    const { document } = context;
    const code = context.locale.code;
    const key = `${document.id}\u0000${code}`;
    let mirror = this.mirrors.get(key);
    if (!mirror) this.mirrors.set(key, (mirror = this.deps.index().paragraphs(document.id, code)));
    const changes: ParagraphPairs[] = [];
    const present = new Set<string>();
    const before = this.seen.get(key);
    const sameDocument = before?.document === document;
    // Known changes of the same document (saves since the version last seen): those paragraphs only, none removed.
    const changed = sameDocument ? changedSince(before.file, context.file) : undefined;
    const segments = changed ? [...changed].map((id) => segmentsOf(document).get(id)).filter((s) => s !== undefined) : document.segments;
    // A book looked at whole (its sentences cut for the first time): other requests in between.
    const pause = turnTaker();
    for (const segment of segments) {
      if (!segment.translatable) continue;
      present.add(segment.id);
      const paused = pause();
      if (paused) await paused;
      const unit = context.units.get(segment.id);
      if (sameDocument && unit !== undefined && before.units.get(segment.id) === unit) continue;
      const state = workflowState(segment, unit);
      const wanted: IndexedPair | undefined =
        unit?.target !== undefined && (state === 'approved' || state === 'translated') ? { source: unit.source, target: unit.target, quality: state === 'approved' ? 2 : 1, level: 'paragraph' } : undefined;
      const held = mirror.get(segment.id);
      if (held === wanted || (held && wanted && held.source === wanted.source && held.target === wanted.target && held.quality === wanted.quality)) continue;
      if (!held && !wanted) continue;
      changes.push({ segment: segment.id, pairs: wanted ? [wanted, ...sentencePairs(wanted.source, wanted.target, wanted.quality, document.meta.language, code)] : [] });
      if (wanted) mirror.set(segment.id, wanted);
      else mirror.delete(segment.id);
    }
    for (const id of changed ? [] : [...mirror.keys()]) {
      if (present.has(id)) continue;
      changes.push({ segment: id, pairs: [] });
      mirror.delete(id);
    }
    this.seen.set(key, { document, file: context.file, units: context.units });
    for (let i = 0; i < changes.length; i += SYNC_CHUNK) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      this.deps.index().putParagraphs(document.meta.language, document.id, code, changes.slice(i, i + SYNC_CHUNK));
    }
    this.synced.add(context.file);
  }

  /**
   * The pairs found, scored against `text`, at least MIN_SCORE, the best first (approved before
   * translated, a paragraph before a sentence), each translation of a text once: those of the
   * `keep` best texts. Once that many texts are scored, the next ones are scored only as far as
   * they could still be among them (see fuzzyScore's floor): in a book of near repeats, most
   * candidates are settled in a few steps.
   */
  private best(sourceLanguage: string, lang: string, text: string, own: (origin: PairOrigin) => boolean, keep = MAX_MATCHES, candidates = CANDIDATES): { pair: FoundPair; score: number }[] {
    const index = this.deps.index();
    const top: number[] = [];
    const scored: { textId: number; score: number }[] = [];
    for (const { textId, source } of index.candidates(sourceLanguage, lang, text, queryWords(text), candidates)) {
      const floor = top.length >= keep ? Math.max(MIN_SCORE, top[top.length - 1]) : MIN_SCORE;
      const score = fuzzyScore(source, text, floor);
      if (score < floor) continue;
      scored.push({ textId, score });
      top.push(score);
      top.sort((a, b) => b - a);
      if (top.length > keep) top.pop();
    }
    scored.sort((a, b) => b.score - a.score);
    // The translations of the best texts (twice as many as kept: a text may be only this paragraph's own).
    const scores = new Map(scored.map(({ textId, score }) => [textId, score]));
    const kept: { pair: FoundPair; score: number }[] = [];
    for (const pair of index.pairsOf(scored.slice(0, 2 * keep).map(({ textId }) => textId), lang)) {
      if (!own(pair.origin)) kept.push({ pair, score: scores.get(pair.textId) ?? 0 });
    }
    kept.sort((a, b) => b.score - a.score || b.pair.quality - a.pair.quality || levelRank(a.pair) - levelRank(b.pair));
    const seen = new Set<string>();
    return kept.filter(({ pair }) => {
      const key = `${pair.source}\u0000${pair.target}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  private matchOf(pair: FoundPair, score: number, names: Map<string, string>, diffOf: (source: string) => WordDiffPart[]): MemoryMatch {
    const origin = this.originOf(pair.origin, names);
    const match: MemoryMatch = { source: pair.source, target: pair.target, score, diff: diffOf(pair.source), origin, level: pair.level };
    if ('memory' in origin) match.memory = origin.memory;
    return match;
  }

  /** An origin as shown: an imported memory by its file name. */
  private originOf(origin: PairOrigin, names?: Map<string, string>): PairOrigin {
    return 'memory' in origin ? { memory: names?.get(origin.memory) ?? origin.memory } : origin;
  }
}

const levelRank = (pair: FoundPair): number => (pair.level === 'paragraph' ? 0 : 1);

/** The words a search looks for: distinct, as the index folds them (lower-cased, diacritics taken off), the longest first. */
export function queryWords(text: string, limit = 24): string[] {
  const words = new Set<string>();
  for (const [word] of text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) words.add(word);
  return [...words].sort((a, b) => b.length - a.length).slice(0, limit);
}

/** A translated paragraph's sentences paired one to one, when the source and the translation have the same number of them (two or more). */
function sentencePairs(source: string, target: string, quality: number, sourceLanguage: string, lang: string): IndexedPair[] {
  const sources = sentencesOf(source, sourceLanguage);
  if (sources.length < 2) return [];
  const targets = sentencesOf(target, lang);
  if (targets.length !== sources.length) return [];
  return sources.map((sentence, i) => ({ source: sentence, target: targets[i], quality, level: 'sentence' as const }));
}
