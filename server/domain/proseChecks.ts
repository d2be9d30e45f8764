/**
 * The quality checks of a translation against its source, tuned for prose. Each has an id, a
 * severity (an error blocks approval until it is fixed or a reviewer dismisses it; a warning only
 * says), and a message (an i18next key under `checks.`, with its values). They are worked out from
 * the texts every time, never stored.
 */
import { placeholderProblem, placeholdersOf, withoutPlaceholders } from './placeholders';
import { quotationMarksOf } from './quotationMarks';
import { memoOfTexts, memoOfTextsIn } from './memoOfTexts';
import { sentencesOf, sentencesOfSource } from './sentencesOf';

export type CheckSeverity = 'error' | 'warning';

/** What a check found: the values of its message. */
type Found = Record<string, string> | undefined;

/** The texts a check looks at, and their languages (BCP 47). */
export interface CheckInput {
  source: string;
  target: string;
  sourceLanguage: string;
  targetLanguage: string;
}

export interface ProseCheck {
  id: string;
  severity: CheckSeverity;
  /** i18next key of the message. */
  message: string;
  run(input: CheckInput): Found;
}

const yes: Record<string, string> = {};
const numbersOf = (text: string): string[] => (text.match(/\d+(?:[.,\u00a0\u202f ]\d+)*/g) ?? []).map((n) => n.replace(/\D/g, '')).sort();
const codeSpansOf = (text: string): string[] => (text.match(/`[^`]+`/g) ?? []).sort();
// trimStart and trimEnd take off what \s matches (white space and line terminators), without the
// regular expression /\s*$/, which tries every position of a paragraph to find its end.
const leading = (text: string): string => text.slice(0, text.length - text.trimStart().length);
const trailing = (text: string): string => text.slice(text.trimEnd().length);
const unescapedBackticks = (text: string): number => (text.replace(/\\`/g, '').match(/`/g) ?? []).length;
const count = (text: string, char: string): number => text.split(char).length - 1;
const REPEATED = /(^|[^\p{L}])(\p{L}+)\s+\2(?![\p{L}])/iu;
const PAIRS: [string, string][] = [['(', ')'], ['[', ']'], ['{', '}']];
const QUOTE_PAIRS: [string, string][] = [['“', '”'], ['«', '»'], ['‹', '›'], ['„', '“']];
const QUOTES = /["“”„«»‹›‚]/g;
const TAG = /<\/?[A-Za-z][^\s>]*[^>]*>/g;
const tagsOf = (text: string): string[] => (text.match(TAG) ?? []).filter((tag) => !/^<(https?|mailto):/i.test(tag)).sort();
const endPunctuation = (text: string): string => {
  const end = text.replace(/\.\.\.$/, '…').replace(/[\s"'”’»›)\]*_]+$/u, '');
  const last = end.at(-1) ?? '';
  return '.?!:;…'.includes(last) ? last : '';
};
const firstLetter = (text: string): string | undefined => /\p{L}/u.exec(text.replace(/^[#>*_\-\s\d.)[\]]+/, ''))?.[0];
const isCased = (char: string): boolean => char.toLowerCase() !== char.toUpperCase();
/** Whether `open` and `close` come in pairs in `text`, counted by `counted` (a source paragraph's are counted once, see countInSource). */
const balanced = (text: string, open: string, close: string, counted = count): boolean =>
  open === close ? counted(text, open) % 2 === 0 : counted(text, open) === counted(text, close);
const words = (text: string): number => (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;

// What the checks work out of a source paragraph, which comes again at every save of its
// translation: worked out once per text (see memoOfTexts).
const numbersOfSource = memoOfTexts((source: string) => numbersOf(withoutPlaceholders(source)));
const endPunctuationOfSource = memoOfTexts(endPunctuation);
/** How many times a character (or pair) comes in a source paragraph: each counted once per text. */
const countsOfSource = memoOfTexts((_source: string) => new Map<string, number>());
const countInSource = (source: string, char: string): number => {
  const counts = countsOfSource(source);
  let n = counts.get(char);
  if (n === undefined) counts.set(char, (n = count(source, char)));
  return n;
};
const unescapedBackticksOfSource = memoOfTexts(unescapedBackticks);
const lineBreaksOfSource = memoOfTexts((source: string) => count(source.trim(), '\n'));
/** The sentences of a source paragraph long enough (4 words) to be noticed when left in a translation. */
const longSentencesOfSource = memoOfTextsIn((source: string, language: string) => sentencesOfSource(source, language).filter((sentence) => words(sentence) >= 4), 5_000);

export const PROSE_CHECKS: readonly ProseCheck[] = [
  {
    id: 'whitespace-only',
    severity: 'error',
    message: 'checks.whitespaceOnly',
    run: ({ target }) => (target.trim() === '' ? yes : undefined),
  },
  {
    id: 'code-differs',
    severity: 'error',
    message: 'checks.codeDiffers',
    run: ({ source, target }) => {
      const [a, b] = [codeSpansOf(source), codeSpansOf(target)];
      return a.join('\n') !== b.join('\n') ? { missing: a.filter((c) => !b.includes(c)).join(' '), extra: b.filter((c) => !a.includes(c)).join(' ') } : undefined;
    },
  },
  {
    id: 'markdown-broken',
    severity: 'error',
    message: 'checks.markdownBroken',
    run: ({ source, target }) => {
      if (unescapedBackticks(target) % 2 !== 0 && unescapedBackticksOfSource(source) % 2 === 0) return { mark: '`' };
      if (count(target, '**') % 2 !== 0 && countInSource(source, '**') % 2 === 0) return { mark: '**' };
      if (/\]\([^)]*$/.test(target) && !/\]\([^)]*$/.test(source)) return { mark: '](' };
      return undefined;
    },
  },
  {
    // Another tool's codes (a document made of its XLIFF file): each placeholder once, pairs in order.
    id: 'codes-differ',
    severity: 'error',
    message: 'checks.codesDiffer',
    run: ({ source, target }) => {
      if (!source.includes('<') || placeholdersOf(source).length === 0) return undefined;
      const problem = placeholderProblem(source, target);
      return problem ? { missing: problem.missing.join(' ') || '—', extra: problem.extra.join(' ') || '—', misplaced: problem.misplaced.join(' ') || '—' } : undefined;
    },
  },
  {
    id: 'numbers-differ',
    severity: 'warning',
    message: 'checks.numbersDiffer',
    run: ({ source, target }) => {
      const [a, b] = [numbersOfSource(source), numbersOf(withoutPlaceholders(target))];
      return a.join(' ') !== b.join(' ') ? { source: a.join(', ') || '—', target: b.join(', ') || '—' } : undefined;
    },
  },
  {
    id: 'untranslated',
    severity: 'warning',
    message: 'checks.untranslated',
    run: ({ source, target }) => (target.trim() === source.trim() && words(source) >= 2 ? yes : undefined),
  },
  {
    id: 'edge-whitespace',
    severity: 'warning',
    message: 'checks.edgeWhitespace',
    run: ({ source, target }) => (target.trim() !== '' && (leading(source) !== leading(target) || trailing(source) !== trailing(target)) ? yes : undefined),
  },
  {
    id: 'double-space',
    severity: 'warning',
    message: 'checks.doubleSpace',
    run: ({ source, target }) => (/\S {2,}\S/.test(target) && !/\S {2,}\S/.test(source) ? yes : undefined),
  },
  {
    id: 'repeated-word',
    severity: 'warning',
    message: 'checks.repeatedWord',
    run: ({ source, target }) => {
      const found = REPEATED.exec(target);
      return found && !REPEATED.test(source) ? { word: found[2] } : undefined;
    },
  },
  {
    id: 'unbalanced-brackets',
    severity: 'warning',
    message: 'checks.unbalancedBrackets',
    run: ({ source, target }) => {
      const pair = PAIRS.find(([open, close]) => !balanced(target, open, close) && balanced(source, open, close, countInSource));
      return pair ? { pair: pair.join('') } : undefined;
    },
  },
  {
    id: 'unbalanced-quotes',
    severity: 'warning',
    message: 'checks.unbalancedQuotes',
    run: ({ source, target }) => {
      if (count(target, '"') % 2 !== 0 && countInSource(source, '"') % 2 === 0) return { pair: '""' };
      const pair = QUOTE_PAIRS.find(([open, close]) => open !== '„' && !balanced(target, open, close) && balanced(source, open, close, countInSource));
      return pair ? { pair: pair.join('') } : undefined;
    },
  },
  {
    id: 'end-punctuation',
    severity: 'warning',
    message: 'checks.endPunctuation',
    run: ({ source, target }) => {
      const [a, b] = [endPunctuationOfSource(source), endPunctuation(target)];
      return a !== b ? { source: a || '—', target: b || '—' } : undefined;
    },
  },
  {
    id: 'sentence-count',
    severity: 'warning',
    message: 'checks.sentenceCount',
    run: ({ source, target, sourceLanguage, targetLanguage }) => {
      const [a, b] = [sentencesOfSource(source, sourceLanguage).length, sentencesOf(target, targetLanguage).length];
      return Math.abs(a - b) > Math.max(1, Math.floor(a / 2)) ? { source: String(a), target: String(b) } : undefined;
    },
  },
  {
    id: 'length-ratio',
    severity: 'warning',
    message: 'checks.lengthRatio',
    run: ({ source, target }) => {
      if (source.length < 20) return undefined;
      const ratio = target.length / source.length;
      return ratio < 0.4 || ratio > 2.5 ? { ratio: ratio.toFixed(1) } : undefined;
    },
  },
  {
    id: 'capital-first',
    severity: 'warning',
    message: 'checks.capitalFirst',
    run: ({ source, target }) => {
      const [a, b] = [firstLetter(source), firstLetter(target)];
      if (!a || !b || !isCased(a) || !isCased(b)) return undefined;
      return (a === a.toUpperCase()) !== (b === b.toUpperCase()) ? yes : undefined;
    },
  },
  {
    id: 'source-left',
    severity: 'warning',
    message: 'checks.sourceLeft',
    run: ({ source, target, sourceLanguage }) => {
      if (target.trim() === source.trim()) return undefined;
      const left = longSentencesOfSource(source, sourceLanguage).find((sentence) => target.includes(sentence));
      return left ? { sentence: left } : undefined;
    },
  },
  {
    id: 'tags-differ',
    severity: 'warning',
    message: 'checks.tagsDiffer',
    run: ({ source, target }) => (tagsOf(withoutPlaceholders(source)).join('') !== tagsOf(withoutPlaceholders(target)).join('') ? yes : undefined),
  },
  {
    id: 'line-breaks-differ',
    severity: 'warning',
    message: 'checks.lineBreaksDiffer',
    run: ({ source, target }) => {
      const [a, b] = [lineBreaksOfSource(source), count(target.trim(), '\n')];
      return a !== b ? { source: String(a), target: String(b) } : undefined;
    },
  },
  {
    id: 'quotation-marks',
    severity: 'warning',
    message: 'checks.quotationMarks',
    run: ({ target, targetLanguage }) => {
      const marks = quotationMarksOf(targetLanguage);
      if (!marks) return undefined;
      const allowed = new Set([marks.start, marks.end, marks.alternateStart, marks.alternateEnd]);
      const wrong = [...new Set(target.match(QUOTES) ?? [])].filter((mark) => !allowed.has(mark));
      return wrong.length > 0 ? { found: wrong.join(' '), start: marks.start, end: marks.end } : undefined;
    },
  },
  {
    id: 'punctuation-spacing',
    severity: 'warning',
    message: 'checks.punctuationSpacing',
    run: ({ target, targetLanguage }) => {
      if (!spacedPunctuation(targetLanguage)) return undefined;
      const found = new Set<string>();
      // Outside code spans and addresses (https://…, 10:30 has no space either way).
      const text = target.replace(/`[^`]*`|\b[a-z][a-z0-9+.-]*:\/\/\S+|\d[:;]\d/giu, ' ');
      for (const m of text.matchAll(/(\S?)([ \u00A0\u202F]?)([;:!?»])/gu)) {
        const [, before, space, mark] = m;
        if (before === '' && space === '') continue; // at the start of the text
        if (mark === '»' && before === '«') continue;
        if (space === '' && /[;:!?»]/u.test(before)) continue; // ?! and !!, one space before the pair
        if (space !== '\u202F' && space !== '\u00A0') found.add(`${space === ' ' ? '␣' : ''}${mark}`);
      }
      for (const m of text.matchAll(/«([ \u00A0\u202F]?)/gu)) if (m[1] !== '\u202F' && m[1] !== '\u00A0') found.add('«');
      return found.size > 0 ? { marks: [...found].join(' ') } : undefined;
    },
  },
];

/**
 * Whether a language puts a (narrow) no-break space before ; : ! ? and » and after « — French
 * typography (CLDR has no datum for it; its « » for French come from cldr-misc-modern, see
 * quotationMarksOf). Swiss French leaves the space out before ; ! ?, so it is not checked.
 */
function spacedPunctuation(language: string): boolean {
  const [base, region] = language.split('-');
  return base.toLowerCase() === 'fr' && region?.toUpperCase() !== 'CH';
}
