/** The placeholders of a locale file held without its units parsed (see readSkeletonXliff12): which elements stand for which bytes. */
import type { Document, Element } from '@xmldom/xmldom';

/** The bytes a placeholder stands for: its unit's element, whole, in a file read before. */
interface PlaceholderSource {
  bytes: Buffer;
  start: number;
  end: number;
}

const placeholders = new WeakMap<Element, PlaceholderSource>();
const skeletons = new WeakSet<Document>();

export function setPlaceholder(el: Element, bytes: Buffer, start: number, end: number): void {
  placeholders.set(el, { bytes, start, end });
}

export function forgetPlaceholder(el: Element): void {
  placeholders.delete(el);
}

/** The text of the unit a placeholder stands for, or undefined for any other element. */
export function placeholderText(el: Element): string | undefined {
  const source = placeholders.get(el);
  return source && source.bytes.toString('utf8', source.start, source.end);
}

export function markSkeleton(doc: Document): void {
  skeletons.add(doc);
}

/** Whether a document may hold placeholders (see readSkeletonXliff12). */
export function isSkeleton(doc: Document): boolean {
  return skeletons.has(doc);
}
