import type MarkdownIt from 'markdown-it';
import { markdownItPackage } from '../lazyPackages';
import { once } from '../once';
import type { GlossaryMatcher } from './glossaryMatcher';
import { memoOfTexts } from './memoOfTexts';
import { misspeltWords, type Speller } from './misspeltWords';
import { PROSE_CHECKS, type CheckSeverity } from './proseChecks';

/** A quality check that a translation failed: shown beside it, never blocking the save (an error blocks its approval, see Translations.approve). */
export interface CheckResult {
  id: string;
  /** The same as `id` (the name the first answers gave it). */
  code: string;
  severity: CheckSeverity;
  /** i18next key of the message, with its values. */
  message: string;
  values: Record<string, string>;
}

/** The languages of a paragraph's texts, for the checks that depend on them (sentences, quotation marks). */
export interface CheckLanguages {
  source: string;
  target: string;
  /** The target language's glossary, for the terminology checks (none without it). */
  glossary?: GlossaryMatcher;
  /** The target language's spelling dictionary (none: the spelling check is skipped). */
  speller?: Speller;
}

/** Every check's id and severity (the two of this file, then the prose checks). */
export const CHECKS: readonly { id: string; severity: CheckSeverity }[] = [
  { id: 'links-differ', severity: 'error' },
  { id: 'markup-differs', severity: 'warning' },
  ...PROSE_CHECKS.map(({ id, severity }) => ({ id, severity })),
  { id: 'forbidden-term', severity: 'error' },
  { id: 'glossary-term', severity: 'warning' },
  { id: 'spelling', severity: 'warning' },
];

/** The inline parser and markdown-it's linkify-it (the same URL recognition as rendering would use), made at the first check. */
const inlineParsers = once((): { markdown: MarkdownIt.MarkdownIt; linkify: MarkdownIt.MarkdownIt['linkify'] } => {
  const MarkdownItClass = markdownItPackage();
  return { markdown: new MarkdownItClass({ html: false, linkify: false }), linkify: new MarkdownItClass({ linkify: true }).linkify };
});

/** What the checks compare of an inline Markdown text: its link targets (sorted) and how many emphasised or code spans it has. */
interface InlineFacts {
  links: string[];
  marks: number;
}

/** Both facts of a text from one parse of it. */
function inlineFacts(text: string): InlineFacts {
  const { markdown, linkify } = inlineParsers();
  const links: string[] = [];
  const tokens = markdown.parseInline(text, {})[0]?.children ?? [];
  let plain = '';
  let marks = 0;
  // The text of a link is not looked at for bare addresses: an autolink's (<https://…>) is its address again.
  let inLink = 0;
  for (const token of tokens) {
    if (token.type === 'link_open') {
      inLink++;
      const href = token.attrGet('href');
      if (href !== null && href !== '') links.push(String(href));
    } else if (token.type === 'link_close') {
      inLink = Math.max(0, inLink - 1);
    } else if (token.type === 'text') {
      if (inLink === 0) plain += `${token.content} `;
    } else if (token.type === 'em_open' || token.type === 'strong_open' || token.type === 'code_inline') {
      marks++;
    }
  }
  for (const match of linkify.match(plain) ?? []) links.push(String(match.url));
  return { links: links.sort(), marks };
}

/** The link targets of an inline Markdown text: [text](url), <url> autolinks and bare URLs. */
export function extractLinks(text: string): string[] {
  return inlineFacts(text).links;
}

/**
 * The facts of source texts, which come again at every save of their paragraph: parsed once (see
 * memoOfTexts).
 */
const factsOfSource: (source: string) => InlineFacts = memoOfTexts(inlineFacts);

/**
 * Checks a translation against its source. Inline markup is carried as Markdown (the documented
 * convention): the translation must keep the same links (an error) and as many emphasised spans;
 * with the languages, the prose checks too (see proseChecks.ts).
 */
export function checkTranslation(source: string, target: string, languages?: CheckLanguages, options: { errorsOnly?: boolean } = {}): CheckResult[] {
  if (target === '') return [];
  const warnings = options.errorsOnly !== true;
  const results: CheckResult[] = [];
  const { links: sourceLinks, marks: sourceMarks } = factsOfSource(source);
  const { links: targetLinks, marks: targetMarks } = inlineFacts(target);
  if (sourceLinks.join('\n') !== targetLinks.join('\n')) {
    const missing = sourceLinks.filter((link) => !targetLinks.includes(link));
    const extra = targetLinks.filter((link) => !sourceLinks.includes(link));
    results.push({ id: 'links-differ', code: 'links-differ', severity: 'error', message: 'checks.linksDiffer', values: { missing: missing.join(', '), extra: extra.join(', ') } });
  }
  if (warnings && sourceMarks !== targetMarks) {
    results.push({ id: 'markup-differs', code: 'markup-differs', severity: 'warning', message: 'checks.markupDiffers', values: { source: String(sourceMarks), target: String(targetMarks) } });
  }
  if (languages) {
    const input = { source, target, sourceLanguage: languages.source, targetLanguage: languages.target };
    for (const check of PROSE_CHECKS) {
      if (!warnings && check.severity !== 'error') continue;
      const values = check.run(input);
      if (values) results.push({ id: check.id, code: check.id, severity: check.severity, message: check.message, values });
    }
    if (languages.glossary) results.push(...glossaryChecks(languages.glossary, source, target).filter((check) => warnings || check.severity === 'error'));
    if (warnings && languages.speller) {
      // The glossary's translations are words of the language, whatever the dictionary says.
      const words = misspeltWords(target, source, languages.target, languages.speller, languages.glossary?.targetWords);
      if (words.length > 0) results.push({ id: 'spelling', code: 'spelling', severity: 'warning', message: 'checks.spelling', values: { words: words.slice(0, 10).join(', ') } });
    }
  }
  return results;
}

/** The terminology checks: a forbidden translation of a source term used (an error), a source term not translated as the glossary says (a warning). */
function glossaryChecks(glossary: GlossaryMatcher, source: string, target: string): CheckResult[] {
  if (glossary.size === 0) return [];
  const { missing, forbidden } = glossary.check(source, target);
  const results: CheckResult[] = [];
  if (forbidden.length > 0) {
    const terms = forbidden.map((f) => `\u201c${f.used}\u201d (${f.term.source})`).join(', ');
    results.push({ id: 'forbidden-term', code: 'forbidden-term', severity: 'error', message: 'checks.forbiddenTerm', values: { terms } });
  }
  if (missing.length > 0) {
    const terms = missing.map((term) => `${term.source} \u2192 ${term.translations.join(' / ')}`).join('; ');
    results.push({ id: 'glossary-term', code: 'glossary-term', severity: 'warning', message: 'checks.glossaryTerm', values: { terms } });
  }
  return results;
}
