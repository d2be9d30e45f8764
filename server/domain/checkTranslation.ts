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

/** The link targets of an inline Markdown text: [text](url), <url> autolinks and bare URLs. */
export function extractLinks(text: string): string[] {
  const links: string[] = [];
  const tokens = markdown.parseInline(text, {})[0]?.children ?? [];
  let plain = '';
  for (const token of tokens) {
    if (token.type === 'link_open') {
      const href = token.attrGet('href');
      if (href !== null && href !== '') links.push(String(href));
    } else if (token.type === 'text') {
      plain += `${token.content} `;
    }
  }
  for (const match of linkify.match(plain) ?? []) links.push(String(match.url));
  return links.sort();
}

function emphasisCount(text: string): number {
  const tokens = markdown.parseInline(text, {})[0]?.children ?? [];
  return tokens.filter((token) => token.type === 'em_open' || token.type === 'strong_open' || token.type === 'code_inline').length;
}

/**
 * Checks a translation against its source. Inline markup is carried as Markdown (the documented
 * convention): the translation must keep the same links and as many emphasised spans.
 */
export function checkTranslation(source: string, target: string): CheckResult[] {
  if (target === '') return [];
  const results: CheckResult[] = [];
  const sourceLinks = extractLinks(source);
  const targetLinks = extractLinks(target);
  if (sourceLinks.join('\n') !== targetLinks.join('\n')) {
    const missing = sourceLinks.filter((link) => !targetLinks.includes(link));
    const extra = targetLinks.filter((link) => !sourceLinks.includes(link));
    results.push({ code: 'links-differ', message: 'checks.linksDiffer', values: { missing: missing.join(', '), extra: extra.join(', ') } });
  }
  const sourceMarks = emphasisCount(source);
  const targetMarks = emphasisCount(target);
  if (sourceMarks !== targetMarks) {
    results.push({ code: 'markup-differs', message: 'checks.markupDiffers', values: { source: String(sourceMarks), target: String(targetMarks) } });
  }
  return results;
}
