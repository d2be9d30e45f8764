import type { Request, Response } from 'express';
import type { ParagraphChanges } from '../application/paragraphChanges';

/** How often an open stream gets a comment line, so that proxies and browsers keep it open. */
const HEARTBEAT_MS = 25_000;

/** How long a browser waits before it opens a dropped stream again (the `retry` field). */
const RETRY_MS = 3_000;

/**
 * The live stream of a locale (server-sent events): each paragraph of it this server changes is
 * sent to every page that has the locale open, as an event `paragraph` with its id, revision, state,
 * text and who changed it. `closeAll` ends every stream (a server that stops does not wait for them).
 */
export interface LiveEvents {
  /** Opens the stream of a locale on `res` (`who`: the person whose page it is, told to the others when it closes). */
  stream(req: Request, res: Response, document: string, lang: string, who?: string): void;
  /** Sends an event of another kind (`presence`) to every open stream of a locale. */
  send(document: string, lang: string, event: string, data: unknown): void;
  closeAll(): void;
}

export function liveEvents(changes: ParagraphChanges): LiveEvents {
  const byLocale = new Map<string, Set<Response>>();
  const key = (document: string, lang: string) => `${document}\u0000${lang}`;
  const write = (document: string, lang: string, event: string, data: unknown) => {
    // JSON on one line: a text's line breaks are escaped, never the end of a data field.
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of byLocale.get(key(document, lang)) ?? []) res.write(text);
  };
  // One listener for all the streams, there only while one is open: a save nobody watches tells nobody.
  let stopListening: (() => void) | undefined;
  const listening = () => {
    if (byLocale.size > 0) {
      stopListening ??= changes.listen(({ document, lang, id, revision, state, target, who, progress }) => write(document, lang, 'paragraph', { id, revision, state, target, who, progress }));
    } else {
      stopListening?.();
      stopListening = undefined;
    }
  };
  return {
    send: write,
    stream(req, res, document, lang, who) {
      res.status(200);
      res.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
      res.flushHeaders();
      res.write(`retry: ${RETRY_MS}\n\n`);
      const here = byLocale.get(key(document, lang)) ?? new Set<Response>();
      here.add(res);
      byLocale.set(key(document, lang), here);
      listening();
      const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      const end = () => {
        if (!here.delete(res)) return;
        clearInterval(heartbeat);
        if (here.size === 0 && byLocale.get(key(document, lang)) === here) byLocale.delete(key(document, lang));
        listening();
        // A page closed: whoever had it is no longer at a paragraph of it.
        if (who) write(document, lang, 'presence', { who, segment: null });
      };
      req.on('close', end);
      res.on('error', end);
    },
    closeAll() {
      for (const streams of byLocale.values()) for (const res of streams) res.end();
      byLocale.clear();
      listening();
    },
  };
}
