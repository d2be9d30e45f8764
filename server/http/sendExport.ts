import type { Response } from 'express';
import type { ExportedFile } from '../application/editions';

/** Sends an exported file (an edition, an interchange file, a glossary) as a download (its name ASCII-safe: ids and locale tags only). */
export function sendExport(res: Response, exported: Pick<ExportedFile, 'fileName' | 'contentType' | 'body'>): void {
  // attachment() sets a type from the file's extension: ours comes after it.
  res.attachment(exported.fileName);
  res.set('Content-Type', exported.contentType);
  // A downloaded edition is a document of its own: it must not run in the workbench's origin.
  res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox");
  res.send(Buffer.from(exported.body.buffer, exported.body.byteOffset, exported.body.byteLength));
}
