import type MarkdownIt from 'markdown-it';
import { markdownItFootnotePackage, markdownItPackage } from '../lazyPackages';
import { once } from '../once';
import { xmlSafeText } from './xmlSafeText';

/** Where rendered Markdown goes: a standalone HTML page keeps every safe link; an EPUB only links out of the book. */
export type InlineTarget = 'html' | 'epub';

/** Link reference definitions as markdown-it keeps them in its environment. */
export type References = Record<string, { href: string; title: string }>;

/** Where a footnote's text is, by its label (an anchor in the page, or a chapter file and anchor in an EPUB). */
export type FootnoteHref = (label: string) => string | undefined;

interface RenderEnv {
  target?: InlineTarget;
  /** What markdown-it-footnote reads of the document's notes: their labels (refs[":label"] = -1), and the list it fills. */
  footnotes?: { refs: Record<string, number>; list: unknown[] };
  footnoteHref?: FootnoteHref;
  /** Where an in-document link ("#a-heading") goes in the edition, or undefined when nothing there has that name. */
  anchorHref?: (fragment: string) => string | undefined;
  /** The document's link reference definitions, as markdown-it reads them (see referencesOf). */
  references?: References;
}

/** Link reference definitions read from the document's definition blocks, for the links that name them. */
export function referencesOf(definitions: readonly string[]): References | undefined {
  if (definitions.length === 0) return undefined;
  const env: { references?: References } = {};
  editionParser().parse(definitions.join('\n\n'), env);
  return env.references;
}

/** A URL fragment as text (markdown-it percent-encodes what it normalizes). */
function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/**
 * The name a Markdown writer gives a heading in links ("#the-paris-commune"), as GitHub, GitLab and
 * most static-site generators make it: lower case, punctuation taken out (hyphens and underscores
 * kept), spaces as hyphens; letters of every script kept.
 */
export function headingSlug(text: string): string {
  return inlineText(text)
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The id of a footnote's anchor: "fn-" and its label, any character an id cannot hold written as _hex_. */
export function footnoteId(label: string): string {
  return `fn-${label.replace(/[^A-Za-z0-9.-]/g, (ch) => `_${ch.codePointAt(0)?.toString(16) ?? ''}_`)}`;
}

/** A link that names its scheme (an EPUB keeps only these, see makeParser). */
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/** The editions' parser, made at its first use (markdown-it is loaded then, see lazyPackages). */
const editionParser = once(makeParser);

function makeParser(): MarkdownIt.MarkdownIt {
  // One instance for every edition: markdown-it keeps no state between renders. `html: false`
  // because a translation must never inject markup; `xhtmlOut` so EPUB chapters stay well-formed
  // (`<br />`, `<hr />`); no linkify or typographer: the text is printed as the translator wrote it.
  const md = new (markdownItPackage())({ html: false, xhtmlOut: true, linkify: false, typographer: false }).use(markdownItFootnotePackage());
  // A note mark ("[^1]") links to the note where the edition prints it (a block of its own): the
  // plugin's list of notes at the end of each rendered text is not made.
  md.core.ruler.disable('footnote_tail');
  md.renderer.rules.footnote_ref = (tokens, idx, _options, rawEnv) => {
    const env = (rawEnv ?? {}) as RenderEnv;
    const label = String((tokens[idx].meta as { label?: unknown }).label ?? '');
    const href = env.footnoteHref?.(label);
    const mark = md.utils.escapeHtml(label);
    if (href === undefined) return `<sup class="footnote-ref">${mark}</sup>`;
    const noteref = env.target === 'epub' ? ' epub:type="noteref"' : '';
    return `<sup class="footnote-ref"><a href="${md.utils.escapeHtml(href)}" role="doc-noteref"${noteref}>${mark}</a></sup>`;
  };

  // An EPUB may only link to its own resources (which a translation cannot know the names of) or
  // out of the book: a relative or fragment-only link would be a broken reference that epubcheck
  // rejects, so it is kept as its text. markdown-it's validateLink has already removed javascript:,
  // vbscript:, file: and data: links in every target.
  md.core.ruler.push('edition_epub_links', (state: MarkdownIt.StateCore) => {
    const env = state.env as RenderEnv;
    for (const token of state.tokens) {
      if (token.type !== 'inline' || !token.children) continue;
      let dropping = false;
      token.children = token.children.filter((child) => {
        if (child.type === 'link_open') {
          // A link to a heading of the document ("#the-heading", as Markdown writers name headings)
          // goes to that heading where the edition prints it (its chapter file, in an EPUB).
          const href = String(child.attrGet('href') ?? '');
          const inDocument = href.startsWith('#') ? env.anchorHref?.(decodeFragment(href.slice(1))) : undefined;
          if (inDocument !== undefined) child.attrSet('href', inDocument);
          dropping = env.target === 'epub' && inDocument === undefined && !ABSOLUTE_URL.test(href);
        } else if (child.type !== 'link_close') return true;
        const keep = !dropping;
        if (child.type === 'link_close') dropping = false;
        return keep;
      });
    }
  });

  // No image is ever loaded (the HTML makes no request, the EPUB holds no image it could point to):
  // an image is printed as its alt text.
  md.renderer.rules.image = (tokens, idx, options, env, self) =>
    `<span class="image-alt">${md.utils.escapeHtml(self.renderInlineAsText(tokens[idx].children ?? [], options, env))}</span>`;
  return md;
}

// What starts an inline construct (escape, code span, strikethrough, emphasis, autolink, entity),
// a line break, or a link or image: "](" (a bracket alone is text, as there are no reference
// definitions in a paragraph rendered on its own). A text with none of them renders as itself,
// escaped: most paragraphs of a book, "[1]"-style note marks included, rendered without a parse.
const INLINE_SYNTAX = /[\n\\`~*_<&]|\]\(/;

/** With reference definitions, a bracket may be a link ("[text][label]", "[label]"). */
const INLINE_SYNTAX_WITH_REFERENCES = /[\n\\`~*_<&\]]/;

/**
 * Text escaped as markdown-it escapes it (&, <, > and "): what it renders a text without syntax as.
 * Done here, a book whose paragraphs hold no Markdown is rendered without loading markdown-it.
 */
function escapeHtml(text: string): string {
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIALS, (ch) => HTML_ESCAPES[ch as keyof typeof HTML_ESCAPES]) : text;
}

const HTML_SPECIAL = /[&<>"]/;
const HTML_SPECIALS = /[&<>"]/g;
const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' } as const;

/** Renders a block's inline Markdown (a translation) as XHTML-compatible HTML; `references` resolves reference-style links. */
export function renderInline(text: string, target: InlineTarget, references?: References, notes?: { labels: readonly string[]; href: FootnoteHref }, anchorHref?: (fragment: string) => string | undefined): string {
  // Only XML must lose the characters it forbids; HTML tolerates them, and scanning a book costs.
  const safe = target === 'epub' ? xmlSafeText(text) : text;
  const withBrackets = references !== undefined || (notes !== undefined && notes.labels.length > 0);
  if (!(withBrackets ? INLINE_SYNTAX_WITH_REFERENCES : INLINE_SYNTAX).test(safe)) return escapeHtml(safe);
  const env: RenderEnv = { target };
  if (references) env.references = references;
  // The plugin knows a note mark only by its note's label; it fills the list as it reads marks, so each text gets its own.
  if (notes && notes.labels.length > 0 && safe.includes('[^')) env.footnotes = { refs: Object.fromEntries(notes.labels.map((label) => [`:${label}`, -1])), list: [] };
  if (notes) env.footnoteHref = notes.href;
  if (anchorHref) env.anchorHref = anchorHref;
  return editionParser().renderInline(safe, env as Record<string, unknown>);
}

/** Renders the text of a plain-text source as it is written, escaped: no character of it is Markdown. */
export function renderPlain(text: string, target: InlineTarget): string {
  return escapeHtml(target === 'epub' ? xmlSafeText(text) : text);
}

/** Renders a raw Markdown block kept verbatim (code, table) as XHTML-compatible HTML. */
export function renderMarkdownBlock(markdown: string, target: InlineTarget): string {
  return editionParser().render(xmlSafeText(markdown), { target } satisfies RenderEnv);
}

/**
 * The text a reader sees of inline Markdown, markup removed; `withUrls` adds an absolute link's
 * address after its text (for plain text, where the link is otherwise lost).
 */
export function inlineText(text: string, { withUrls = false }: { withUrls?: boolean } = {}): string {
  if (!INLINE_SYNTAX.test(text)) return text;
  const [inline] = editionParser().parseInline(text, {});
  return tokensText(inline?.children ?? [], withUrls);
}

function tokensText(tokens: MarkdownIt.Token[], withUrls: boolean): string {
  let out = '';
  let link: { href: string; start: number } | undefined;
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
      case 'code_inline':
        out += token.content;
        break;
      case 'softbreak':
        out += ' ';
        break;
      case 'hardbreak':
        out += '\n';
        break;
      case 'image':
        out += tokensText(token.children ?? [], false);
        break;
      case 'link_open':
        link = { href: String(token.attrGet('href') ?? ''), start: out.length };
        break;
      case 'link_close': {
        // An autolink, or a link written as its own address, already shows it.
        const shown = link ? out.slice(link.start) : '';
        if (withUrls && link && ABSOLUTE_URL.test(link.href) && (shown === '' || !link.href.endsWith(shown))) out += `${shown === '' ? '' : ' '}<${link.href}>`;
        link = undefined;
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** Parses a raw code block and returns the code it holds (no fences, no indentation). */
export function codeBlockContent(markdown: string): string {
  const code = editionParser().parse(markdown, {}).find((token) => token.type === 'fence' || token.type === 'code_block');
  return code ? code.content.replace(/\n$/, '') : markdown;
}
