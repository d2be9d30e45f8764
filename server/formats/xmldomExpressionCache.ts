import { createRequire } from 'node:module';

/** The part of xmldom's grammar module that its reader calls for each end tag. */
interface XmldomGrammar {
  reg(this: unknown, ...parts: (RegExp | string)[]): RegExp;
}

/** At most this many expressions are kept (the reader asks for two; a DOCTYPE, refused anyway, for a few more). */
const MAX_KEPT = 64;

/** The expressions made, by their parts in order: the parts are the grammar's own objects and strings, found by identity. */
interface KeptNode {
  next: Map<RegExp | string, KeptNode>;
  made?: RegExp;
}

let installed = false;

/**
 * xmldom (0.9.12, the newest) builds a new regular expression for every end tag it reads
 * (`g.reg('^', g.QName_group, g.S_OPT, '$')` in lib/sax.js): it joins the sources of its parts, a
 * large Unicode class among them, into a string of kilobytes, about 100,000 times for a book's
 * XLIFF file, which is a good part of the parse and of its garbage. The expression is the same
 * every time, and it is used without the `g` or `y` flag (no `lastIndex` to share), so one object
 * serves every call: the grammar's `reg`, which the reader looks up on the module at each call, is
 * wrapped once with a cache keyed by its parts themselves (no string is built to find it). What
 * the reader accepts or refuses does not change (the XML tests read and refuse through it).
 */
export function cacheXmldomExpressions(): void {
  if (installed) return;
  installed = true;
  const grammar = createRequire(__filename)('@xmldom/xmldom/lib/grammar') as XmldomGrammar;
  const build = grammar.reg;
  if (typeof build !== 'function') return;
  const root: KeptNode = { next: new Map() };
  let kept = 0;
  grammar.reg = function cachedReg(this: unknown, ...parts: (RegExp | string)[]): RegExp {
    let node: KeptNode | undefined = root;
    for (const part of parts) {
      node = node.next.get(part);
      if (!node) break;
    }
    if (node?.made) return node.made;
    const made = build.apply(this, parts);
    if (made.global || made.sticky || kept >= MAX_KEPT) return made;
    let at = root;
    for (const part of parts) {
      let next = at.next.get(part);
      if (!next) at.next.set(part, (next = { next: new Map() }));
      at = next;
    }
    at.made = made;
    kept++;
    return made;
  };
}
