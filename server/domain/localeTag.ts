import { WorkbenchError } from '../errors';

// A locale tag becomes a folder name (locales/<tag>/), so after canonicalisation only
// language[-Script][-REGION][-variant...] is accepted: letters, digits and hyphens, no
// extensions or private use, nothing that could name "..", a separator or a NUL.
const FOLDER_SAFE_TAG = /^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?(?:-(?:[a-z0-9]{5,8}|\d[a-z0-9]{3}))*$/;

/** Canonicalises a language tag as other tools write it in their files (gettext's `es_ES` included), or throws 400. */
export function canonicalToolLocale(input: string): string {
  return canonicalLocale(input.replace(/_/g, '-'));
}

/** Canonicalises a BCP 47 tag for a translation locale, or throws 400 with the reason. */
export function canonicalLocale(input: unknown): string {
  const seen = typeof input === 'string' ? canonicalOf.get(input) : undefined;
  if (seen !== undefined) return seen;
  const canonical = canonicalise(input);
  if (canonicalOf.size < 10_000) canonicalOf.set(input as string, canonical);
  return canonical;
}

/** Tags already canonicalised (accepted ones only: a refusal is worked out again, with its message). */
const canonicalOf = new Map<string, string>();

function canonicalise(input: unknown): string {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new WorkbenchError(400, 'invalid-locale', 'Give a language as a BCP 47 tag, such as "es", "pt-BR" or "sr-Latn".');
  }
  const raw = input.trim();
  if (raw.length > 35 || !/^[A-Za-z0-9-]+$/.test(raw)) {
    throw new WorkbenchError(400, 'invalid-locale', `"${raw.slice(0, 40)}" is not a language tag: use letters, digits and hyphens, such as "es" or "pt-BR".`, { params: { tag: raw.slice(0, 40) } });
  }
  let canonical: string;
  try {
    [canonical] = Intl.getCanonicalLocales(raw);
  } catch {
    throw new WorkbenchError(400, 'invalid-locale', `"${raw}" is not a valid BCP 47 language tag.`, { params: { tag: raw.slice(0, 40) } });
  }
  if (!canonical || !FOLDER_SAFE_TAG.test(canonical)) {
    throw new WorkbenchError(400, 'invalid-locale', `"${raw}" is not a language tag the workbench accepts: use language[-Script][-REGION], such as "es", "sr-Latn" or "pt-BR".`, { params: { tag: raw.slice(0, 40) } });
  }
  if (!isKnownLanguage(new Intl.Locale(canonical).language)) {
    throw new WorkbenchError(400, 'invalid-locale', `"${raw}" names no known language.`, { params: { tag: raw.slice(0, 40) } });
  }
  return canonical;
}

/**
 * CLDR's language names in English, made at the first tag they are needed for (ICU takes about
 * 20 ms to make them, most of a CLI command's check of its `--locale`): whether a language code
 * names a language.
 */
let englishNames: Intl.DisplayNames | undefined;
/** Answers already found (language codes are few; the same ones come with every request). */
const known = new Map<string, boolean>();

function isKnownLanguage(language: string): boolean {
  if (!language || language === 'und') return false;
  let answer = known.get(language);
  if (answer === undefined) {
    try {
      // CLDR knows a language by its plural rules (every language it has data for, asked in a
      // fraction of a millisecond) or by its name in English (a few more, and four languages with
      // plural rules but no English name: Gun, Ladin, Nahuatl, the Sami languages).
      answer =
        Intl.PluralRules.supportedLocalesOf([language], { localeMatcher: 'lookup' }).length > 0 ||
        (englishNames ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' })).of(language) !== undefined;
    } catch {
      answer = false;
    }
    if (known.size < 10_000) known.set(language, answer);
  }
  return answer;
}

/** True when `tag` is a canonical, folder-safe locale tag (no exception, for filtering folders). */
export function isLocaleTag(tag: string): boolean {
  try {
    return canonicalLocale(tag) === tag;
  } catch {
    return false;
  }
}

const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Thaa', 'Syrc', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr', 'Yezi']);

/** Writing direction of a locale, from its (likely) script. */
export function localeDirection(tag: string): 'ltr' | 'rtl' {
  const locale = new Intl.Locale(tag);
  // textInfo is V8's implementation of the Intl Locale Info proposal; fall back to the script.
  const info = (locale as unknown as { textInfo?: { direction?: string } }).textInfo;
  if (info?.direction === 'rtl' || info?.direction === 'ltr') return info.direction;
  const script = locale.maximize().script;
  return script && RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
}

/** Facts about a locale for display: its name in its own language and in the reader's, and its direction. */
export function describeLocale(tag: string, readerLanguage = 'en'): { code: string; nativeName: string; name: string; dir: 'ltr' | 'rtl' } {
  const key = `${tag} ${readerLanguage}`;
  let described = descriptions.get(key);
  if (!described) {
    const nativeName = new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
    const name = new Intl.DisplayNames([readerLanguage], { type: 'language' }).of(tag) ?? tag;
    described = { code: tag, nativeName, name, dir: localeDirection(tag) };
    if (descriptions.size < 10_000) descriptions.set(key, described);
  }
  return { ...described };
}

/** Locales described already, by tag and reader's language (two names from ICU each, and the direction). */
const descriptions = new Map<string, { code: string; nativeName: string; name: string; dir: 'ltr' | 'rtl' }>();

/** Whether a language tag of a file serves a wanted language: the same tag, or the same language when either names no region. */
export function languageServes(tag: string, wanted: string): boolean {
  let canonical: string;
  try {
    canonical = canonicalToolLocale(tag);
  } catch {
    return false;
  }
  if (canonical === wanted) return true;
  const [a, b] = [canonical.split('-'), wanted.split('-')];
  return a[0] === b[0] && (a.length === 1 || b.length === 1);
}
