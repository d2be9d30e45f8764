import { createHash } from 'node:crypto';
import path from 'node:path';
import { languageServes } from '../domain/localeTag';
import { readUpload, WorkbenchError } from '../errors';
import { READERS } from '../formats/formatRegistry';
import type { TmxFile } from '../formats/tmx';
import { decodeXmlBytes } from '../formats/xmlSafety';
import type { MemoryInfo, MemoryRepository } from '../storage/memoryRepository';

export type { MemoryInfo };

/** The largest TMX file the workbench reads. */
export const MAX_TMX_BYTES = 50 * 1024 * 1024;

/** One pair of a memory: a source text and its translation. */
export interface MemoryPair {
  source: string;
  target: string;
  memory: string;
}

/**
 * Translation memories (TMX 1.4) imported into a locale, kept as the files themselves (in the
 * project database), so they can be given back to other tools as sent. The translation memory reads
 * their pairs (see TranslationMemory).
 */
export class Memories {
  constructor(private readonly repository: MemoryRepository) {}

  /** Imports a TMX file as a memory of `lang` (pairs from `sourceLanguage`); the same file twice is kept once. */
  async import(lang: string, sourceLanguage: string, bytes: Uint8Array, options: { name: string; who: string }): Promise<MemoryInfo> {
    if (bytes.byteLength > MAX_TMX_BYTES) {
      throw new WorkbenchError(413, 'tmx-too-large', `${options.name} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB: a TMX file may be at most 50 MB.`, { params: { name: options.name, size: (bytes.byteLength / 1024 / 1024).toFixed(1) } });
    }
    const tmx = readUpload(() => READERS.tmx(decodeXmlBytes(bytes, { file: options.name }), { file: options.name }));
    const pairs = pairsOf(tmx, sourceLanguage, lang, '');
    if (pairs.length === 0) {
      throw new WorkbenchError(422, 'tmx-no-pairs', `${options.name} has no unit with both a source text (${sourceLanguage}) and a translation into ${lang}: nothing to remember.`, { params: { name: options.name, source: sourceLanguage, locale: lang } });
    }
    const id = createHash('sha256').update(bytes).digest('hex');
    const info: MemoryInfo = { id, name: path.basename(options.name).slice(0, 200), who: options.who, at: new Date().toISOString(), pairs: pairs.length };
    await this.repository.add(lang, info, bytes);
    return info;
  }

  /** The memories of a locale, newest first. */
  list(lang: string): Promise<MemoryInfo[]> {
    return this.repository.list(lang);
  }

  // A memory is named by the SHA-256 of its bytes and never rewritten: its pairs, once read, stay true.
  private readonly cache = new Map<string, MemoryPair[]>();

  /** The pairs a memory of `lang` holds from `sourceLanguage`. */
  async pairs(lang: string, sourceLanguage: string, info: MemoryInfo): Promise<MemoryPair[]> {
    const key = `${lang} ${sourceLanguage} ${info.id}`;
    let pairs = this.cache.get(key);
    if (!pairs) {
      const bytes = await this.repository.content(lang, info.id);
      if (!bytes) return [];
      const content = decodeXmlBytes(bytes, { file: info.name });
      pairs = pairsOf(READERS.tmx(content, { file: info.name }), sourceLanguage, lang, info.name);
      this.cache.set(key, pairs);
    }
    return pairs;
  }
}

function pairsOf(tmx: TmxFile, sourceLanguage: string, lang: string, memory: string): MemoryPair[] {
  const pairs: MemoryPair[] = [];
  for (const unit of tmx.units) {
    const source = unit.variants.find((v) => languageServes(v.lang, sourceLanguage));
    const target = unit.variants.find((v) => languageServes(v.lang, lang));
    if (source && target && source.text !== '' && target.text !== '') pairs.push({ source: source.text, target: target.text, memory });
  }
  return pairs;
}
