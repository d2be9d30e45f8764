// Characters XML 1.0 does not allow in a document, in any form (not even as references): C0
// controls other than tab, LF and CR, U+FFFE, U+FFFF and unpaired surrogates. A translation pasted
// from another program can hold them; one of them would make an EPUB chapter unreadable.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// A first look with one character class (fast on megabytes): surrogates are suspects, pairs of them allowed.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** The text without the characters an XML document cannot hold (most texts have none: returned as they are). */
export function xmlSafeText(text: string): string {
  return SUSPECT.test(text) ? text.replace(NOT_XML, '') : text;
}
