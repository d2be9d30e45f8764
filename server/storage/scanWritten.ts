import type { WrittenPart, Xliff12Output } from '../formats/xliff12Model';
import { positionAt, scanMarkup, scanXml, type ScanIssue, type XmlPosition } from '../formats/xmlScan';

/** The first issue the reader's pre-scan finds in a file's text, and where. */
export function scanWhole(xml: string): { issue: ScanIssue; at: XmlPosition } | undefined {
  const issue = scanXml(xml);
  return issue && { issue, at: positionAt(xml, issue.offset) };
}

/**
 * The first issue the reader's pre-scan finds in the markup of the elements written into a file
 * (`parts` of its bytes), and where in the file. Their characters are not looked at again: the
 * model's texts were checked before they were written (see assertWritableModel), and whatever else
 * an element holds was read from a file the reader accepted.
 */
export function scanParts(file: Pick<Xliff12Output, 'bytes'>, parts: readonly WrittenPart[]): { issue: ScanIssue; at: XmlPosition } | undefined {
  for (const part of parts) {
    const issue = scanMarkup(part.text);
    if (!issue) continue;
    const { bytes } = file; // made only now: the line and column need the text before the part
    const before = Buffer.from(bytes.buffer, bytes.byteOffset, part.start).toString('utf8');
    return { issue, at: positionAt(before + part.text, before.length + issue.offset) };
  }
  return undefined;
}
