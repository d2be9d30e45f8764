import MarkdownIt from 'markdown-it';

/** A quality check that a translation failed: shown beside it, never blocking the save. */
export interface CheckResult {
  code: 'links-differ' | 'markup-differs';
  /** i18next key of the message, with its values. */
  message: string;
  values: Record<string, string>;
}

const markdown = new MarkdownIt({ html: false, linkify: false });
// markdown-it bundles linkify-it: the same URL recognition as rendering would use.
const linkify = new MarkdownIt({ linkify: true }).linkify;

/** What the checks compare of an inline Markdown text: its link targets (sorted) and how many emphasised or code spans it has. */
interface InlineFacts {
  links: string[];
  marks: number;
}

/** Both facts of a text from one parse of it. */
function inlineFacts(text: string): InlineFacts {
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
 * The facts of source texts, which come again at every save of their paragraph: parsed once. A
 * book has tens of thousands of paragraphs; past that many texts, the cache starts over.
 */
const sourceFacts = new Map<string, InlineFacts>();
const MAX_SOURCES = 50_000;

function factsOfSource(source: string): InlineFacts {
  let facts = sourceFacts.get(source);
  if (!facts) {
    if (sourceFacts.size >= MAX_SOURCES) sourceFacts.clear();
    facts = inlineFacts(source);
    sourceFacts.set(source, facts);
  }
  return facts;
}

/**
 * Checks a translation against its source. Inline markup is carried as Markdown (the documented
 * convention): the translation must keep the same links and as many emphasised spans.
 */
export function checkTranslation(source: string, target: string): CheckResult[] {
  if (target === '') return [];
  const results: CheckResult[] = [];
  const { links: sourceLinks, marks: sourceMarks } = factsOfSource(source);
  const { links: targetLinks, marks: targetMarks } = inlineFacts(target);
  if (sourceLinks.join('\n') !== targetLinks.join('\n')) {
    const missing = sourceLinks.filter((link) => !targetLinks.includes(link));
    const extra = targetLinks.filter((link) => !sourceLinks.includes(link));
    results.push({ code: 'links-differ', message: 'checks.linksDiffer', values: { missing: missing.join(', '), extra: extra.join(', ') } });
  }
  if (sourceMarks !== targetMarks) {
    results.push({ code: 'markup-differs', message: 'checks.markupDiffers', values: { source: String(sourceMarks), target: String(targetMarks) } });
  }
  return results;
}
