import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { canonicalToolLocale, isLocaleTag } from './domain/localeTag';
import { readUpload, WorkbenchError } from './errors';
import { readTmx } from './formats/tmx';
import { decodeXmlBytes } from './formats/xmlSafety';
import { writeFileAtomic } from './storage/writeFileAtomic';

/** The largest TMX file the workbench reads. */
export const MAX_TMX_BYTES = 50 * 1024 * 1024;

/** An imported translation memory of a locale. */
export interface MemoryInfo {
  /** SHA-256 of the file (its name in the memory folder). */
  id: string;
  name: string;
  who: string;
  at: string;
  /** Pairs usable for this locale (a source text and a translation into it). */
  pairs: number;
}

/** One pair of a memory: a source text and its translation. */
export interface MemoryPair {
  source: string;
  target: string;
  memory: string;
}

/** Whether a variant's language serves a wanted one: the same tag, or the same language when either names no region. */
function sameLanguage(variant: string, wanted: string): boolean {
  let tag: string;
  try {
    tag = canonicalToolLocale(variant);
  } catch {
    return false;
  }
  if (tag === wanted) return true;
  const [a, b] = [tag.split('-'), wanted.split('-')];
  return a[0] === b[0] && (a.length === 1 || b.length === 1);
}

/**
 * Translation memories (TMX 1.4) imported into a locale, kept as the files themselves in
 * `locales/<lang>/memory/<sha256>.tmx` (with a small JSON record beside each), so other tools can
 * read them too. The workbench reads them for exact matches, e.g. for suggestions.
 */
export class Memories {
  constructor(private readonly options: { localesDir: string }) {}

  private dirOf(lang: string): string {
    // The tag becomes a path segment.
    if (!isLocaleTag(lang)) throw new WorkbenchError(400, 'invalid-locale', 'Invalid locale.');
    return path.join(this.options.localesDir, lang, 'memory');
  }

  /** Imports a TMX file as a memory of `lang` (pairs from `sourceLanguage`); the same file twice is kept once. */
  async import(lang: string, sourceLanguage: string, bytes: Uint8Array, options: { name: string; who: string }): Promise<MemoryInfo> {
    if (bytes.byteLength > MAX_TMX_BYTES) {
      throw new WorkbenchError(413, 'tmx-too-large', `${options.name} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB: a TMX file may be at most 50 MB.`);
    }
    const tmx = readUpload(() => readTmx(decodeXmlBytes(bytes, { file: options.name }), { file: options.name }));
    const pairs = pairsOf(tmx, sourceLanguage, lang, '');
    if (pairs.length === 0) {
      throw new WorkbenchError(422, 'tmx-no-pairs', `${options.name} has no unit with both a source text (${sourceLanguage}) and a translation into ${lang}: nothing to remember.`);
    }
    const id = createHash('sha256').update(bytes).digest('hex');
    const info: MemoryInfo = { id, name: path.basename(options.name).slice(0, 200), who: options.who, at: new Date().toISOString(), pairs: pairs.length };
    const dir = this.dirOf(lang);
    await fsp.mkdir(dir, { recursive: true });
    await writeFileAtomic(path.join(dir, `${id}.tmx`), bytes);
    await writeFileAtomic(path.join(dir, `${id}.json`), `${JSON.stringify(info)}\n`);
    return info;
  }

  /** The memories of a locale, newest first. */
  async list(lang: string): Promise<MemoryInfo[]> {
    const dir = this.dirOf(lang);
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const infos: MemoryInfo[] = [];
    for (const name of names.filter((n) => /^[0-9a-f]{64}\.json$/.test(n))) {
      try {
        infos.push(JSON.parse(await fsp.readFile(path.join(dir, name), 'utf8')) as MemoryInfo);
      } catch {
        // A damaged record hides its memory from the list; the TMX file itself stays.
      }
    }
    return infos.sort((a, b) => b.at.localeCompare(a.at));
  }

  /** Translations the memories of `lang` hold for exactly this source text. */
  async exactMatches(lang: string, sourceLanguage: string, source: string): Promise<MemoryPair[]> {
    const matches: MemoryPair[] = [];
    for (const info of await this.list(lang)) {
      for (const pair of await this.pairs(lang, sourceLanguage, info)) if (pair.source === source) matches.push(pair);
    }
    return matches;
  }

  // A memory file is named by the SHA-256 of its bytes and never rewritten: its pairs, once read, stay true.
  private readonly cache = new Map<string, MemoryPair[]>();

  private async pairs(lang: string, sourceLanguage: string, info: MemoryInfo): Promise<MemoryPair[]> {
    const key = `${lang} ${sourceLanguage} ${info.id}`;
    let pairs = this.cache.get(key);
    if (!pairs) {
      const content = decodeXmlBytes(await fsp.readFile(path.join(this.dirOf(lang), `${info.id}.tmx`)), { file: info.name });
      pairs = pairsOf(readTmx(content, { file: info.name }), sourceLanguage, lang, info.name);
      this.cache.set(key, pairs);
    }
    return pairs;
  }
}

function pairsOf(tmx: ReturnType<typeof readTmx>, sourceLanguage: string, lang: string, memory: string): MemoryPair[] {
  const pairs: MemoryPair[] = [];
  for (const unit of tmx.units) {
    const source = unit.variants.find((v) => sameLanguage(v.lang, sourceLanguage));
    const target = unit.variants.find((v) => sameLanguage(v.lang, lang));
    if (source && target && source.text !== '' && target.text !== '') pairs.push({ source: source.text, target: target.text, memory });
  }
  return pairs;
}
