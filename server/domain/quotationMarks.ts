/** The quotation marks a language uses, from CLDR (the cldr-misc-modern package's delimiters). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface QuotationMarks {
  start: string;
  end: string;
  alternateStart: string;
  alternateEnd: string;
}

const load = createRequire(__filename);
const known = new Map<string, QuotationMarks | undefined>();

function read(tag: string): QuotationMarks | undefined {
  try {
    const file = load.resolve(`cldr-misc-modern/main/${tag}/delimiters.json`);
    const data = JSON.parse(readFileSync(file, 'utf8')) as { main: Record<string, { delimiters: Record<string, string> }> };
    const delimiters = Object.values(data.main)[0]?.delimiters;
    if (!delimiters) return undefined;
    return { start: delimiters.quotationStart, end: delimiters.quotationEnd, alternateStart: delimiters.alternateQuotationStart, alternateEnd: delimiters.alternateQuotationEnd };
  } catch {
    return undefined;
  }
}

/** The marks of a BCP 47 tag (its language's when CLDR has nothing for the whole tag), or undefined when CLDR does not know the language. */
export function quotationMarksOf(tag: string): QuotationMarks | undefined {
  if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return undefined;
  if (!known.has(tag)) known.set(tag, read(tag) ?? (tag.includes('-') ? read(tag.split('-')[0]) : undefined));
  return known.get(tag);
}
