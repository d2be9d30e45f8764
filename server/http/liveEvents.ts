import type { Request, Response } from 'express';
import type { ParagraphChange, ParagraphChanges } from '../application/paragraphChanges';

/** How often an open stream gets a comment line, so that proxies and browsers keep it open. */
const HEARTBEAT_MS = 25_000;

/** How long a browser waits before it opens a dropped stream again (the `retry` field). */
const RETRY_MS = 3_000;

/**
 * The live stream of a locale (server-sent events): each paragraph of it this server changes is
 * sent to every page that has the locale open, as an event `paragraph` with its id, revision, state,
 * text and who changed it. `closeAll` ends every stream (a server that stops does not wait for them).
 */
export function liveEvents(changes: ParagraphChanges): { stream(req: Request, res: Response, document: string, lang: string): void; closeAll(): void } {
  const open = new Set<Response>();
  return {
    stream(req, res, document, lang) {
      res.status(200);
      res.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
      res.flushHeaders();
      res.write(`retry: ${RETRY_MS}\n\n`);
      open.add(res);
      const send = (change: ParagraphChange) => {
        if (change.document !== document || change.lang !== lang) return;
        const { id, revision, state, target, who } = change;
        // JSON on one line: a text's line breaks are escaped, never the end of a data field.
        res.write(`event: paragraph\ndata: ${JSON.stringify({ id, revision, state, target, who })}\n\n`);
      };
      const stop = changes.listen(send);
      const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      const end = () => {
        clearInterval(heartbeat);
        stop();
        open.delete(res);
      };
      req.on('close', end);
      res.on('error', end);
    },
    closeAll() {
      for (const res of open) res.end();
      open.clear();
    },
  };
}
