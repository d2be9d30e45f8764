/**
 * Spelling dictionaries: the Hunspell dictionaries of the `dictionary-*` packages (LibreOffice's
 * and others', normalised to UTF-8), read by Hunspell itself compiled to WebAssembly
 * (`hunspell-asm`). nspell was tried first and left: it took 7.5 s and 600 MB to load the French
 * dictionary, and did not finish loading the Italian or Portuguese ones in a minute; Hunspell loads
 * each in 0.05–0.6 s.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Speller } from '../domain/misspeltWords';

/** The dictionary package for a language tag, and the regions it serves (none listed: every region). */
const PACKAGES: Record<string, { name: string; regions?: string[] }> = {
  en: { name: 'dictionary-en', regions: ['US'] },
  es: { name: 'dictionary-es' },
  fr: { name: 'dictionary-fr' },
  de: { name: 'dictionary-de', regions: ['DE', 'AT', 'LU', 'BE', 'LI'] },
  it: { name: 'dictionary-it' },
  pt: { name: 'dictionary-pt', regions: ['BR'] },
};

/** The dictionary package that serves a language tag, if one does. */
export function dictionaryFor(language: string): string | undefined {
  const [base, ...rest] = language.split('-');
  const known = PACKAGES[base.toLowerCase()];
  if (!known) return undefined;
  const region = rest.find((part) => /^[A-Z]{2}$|^\d{3}$/i.test(part))?.toUpperCase();
  return !region || !known.regions || known.regions.includes(region) ? known.name : undefined;
}

/** The most words a speller remembers the answer for. */
const MAX_REMEMBERED = 200_000;

type HunspellModule = Awaited<ReturnType<typeof import('hunspell-asm').loadModule>>;

/**
 * How long Hunspell's WebAssembly runtime may take to start. Its loader gives up after 3 s by
 * default, which a busy 2-core machine can pass (compiling the module is CPU work): the dictionary
 * was then left unloaded for the life of the process.
 */
const RUNTIME_TIMEOUT_MS = 60_000;

/** Hunspell's runtime, started (compiled and instantiated) once per process. */
function startHunspell(): Promise<HunspellModule> {
  return withoutCrashHandlers(() => import('hunspell-asm').then((m) => m.loadModule({ timeout: RUNTIME_TIMEOUT_MS })));
}

/**
 * Runs `start`, taking out the `uncaughtException` listeners it adds. Hunspell's runtime (built
 * with Emscripten) adds one that throws the error again: the process then stopped as it would
 * have, but its report was that listener's line (100 KB of the runtime's code) where the error's
 * own place should be.
 */
async function withoutCrashHandlers<T>(start: () => Promise<T>): Promise<T> {
  const before = new Set(process.listeners('uncaughtException'));
  try {
    return await start();
  } finally {
    for (const listener of process.listeners('uncaughtException')) if (!before.has(listener)) process.removeListener('uncaughtException', listener);
  }
}

/** Spellers by language, each dictionary loaded once, on first use. */
export class HunspellSpellers {
  private module?: Promise<HunspellModule>;
  private readonly loading = new Map<string, Promise<Speller>>();

  private readonly ready = new Map<string, Speller>();

  /** `start` starts Hunspell's runtime (tests give one that fails first). */
  constructor(private readonly start: () => Promise<HunspellModule> = startHunspell) {}

  /** The speller of a language if its dictionary is loaded already (nothing is loaded). */
  loaded(language: string): Speller | undefined {
    const name = dictionaryFor(language);
    return name ? this.ready.get(name) : undefined;
  }

  /** A speller for a language tag, or undefined when no dictionary serves it. */
  speller(language: string): Promise<Speller> | undefined {
    const name = dictionaryFor(language);
    if (!name) return undefined;
    let speller = this.loading.get(name);
    if (!speller) {
      speller = this.load(name);
      this.loading.set(name, speller);
      void speller.then((s) => this.ready.set(name, s), () => undefined);
      // A dictionary that did not load is tried again next time.
      speller.catch(() => this.loading.delete(name));
    }
    return speller;
  }

  /** Hunspell's runtime; one that failed to start is started again at the next call. */
  private hunspell(): Promise<HunspellModule> {
    if (!this.module) {
      const starting = this.start();
      this.module = starting;
      starting.catch(() => {
        if (this.module === starting) this.module = undefined;
      });
    }
    return this.module;
  }

  private async load(name: string): Promise<Speller> {
    const hunspell = await this.hunspell();
    const dir = path.dirname(require.resolve(name));
    const aff = hunspell.mountBuffer(readFileSync(path.join(dir, 'index.aff')), `${name}.aff`);
    const dic = hunspell.mountBuffer(readFileSync(path.join(dir, 'index.dic')), `${name}.dic`);
    const checker = hunspell.create(aff, dic);
    const answers = new Map<string, boolean>();
    return {
      correct(word: string): boolean {
        let answer = answers.get(word);
        if (answer === undefined) {
          if (answers.size >= MAX_REMEMBERED) answers.clear();
          answer = checker.spell(word);
          answers.set(word, answer);
        }
        return answer;
      },
    };
  }
}
