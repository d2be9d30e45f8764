/* eslint-disable @typescript-eslint/no-require-imports -- loading these packages at their first use, not at start, is what this file is for */
/**
 * Packages loaded at their first use rather than when the workbench's modules load. Every CLI
 * command is a whole process: `workbench status` reads what the last command kept and needs
 * none of these, yet loading them took about a third of its time (yaml alone 35–45 ms, xmldom
 * 30 ms, on the 2-core machine of `npm run bench`). A command that parses a document, writes
 * XLIFF or renders an edition loads them then, once.
 */

import { once } from './once';

/** yaml: front matter read from a source and written into a Markdown edition. */
export const yamlPackage = once(() => require('yaml') as typeof import('yaml'));

/** @xmldom/xmldom: the DOM of XLIFF, TMX and TBX files. */
export const xmldomPackage = once(() => require('@xmldom/xmldom') as typeof import('@xmldom/xmldom'));

/** diff (jsdiff): word and character differences. */
export const diffPackage = once(() => require('diff') as typeof import('diff'));

/** unhomoglyph: the confusable skeleton of a user name. */
export const unhomoglyphPackage = once(() => require('unhomoglyph') as typeof import('unhomoglyph').default);

/** markdown-it: segmenting a source, the checks' reading of inline markup, editions. */
export const markdownItPackage = once(() => require('markdown-it') as typeof import('markdown-it'));

/** markdown-it-footnote, the plugin for footnotes of markdown-it. */
export const markdownItFootnotePackage = once(() => require('markdown-it-footnote') as typeof import('markdown-it-footnote'));
