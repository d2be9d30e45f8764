/**
 * The thread a regular-expression search runs on (see regexSearch.ts): the main thread stops it
 * when it takes too long, so a catastrophic pattern never holds the server.
 */
import { parentPort } from 'node:worker_threads';

/** What the thread is asked: a pattern (flags included) and the texts to run it on. */
export interface RegexJob {
  source: string;
  flags: string;
  texts: string[];
  /** With `replacement`: each text with every match replaced (as String.replace does, $1 and all). */
  replacement?: string;
}

/** Its answer: for each text, the places found ([start, end] pairs), and the replaced texts when asked. */
export interface RegexAnswer {
  found: [number, number][][];
  replaced?: string[];
}

parentPort?.on('message', (job: RegexJob) => {
  const pattern = new RegExp(job.source, job.flags);
  const found = job.texts.map((text) => {
    const places: [number, number][] = [];
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      places.push([match.index, match.index + match[0].length]);
      if (match[0].length === 0) pattern.lastIndex++;
      if (places.length >= 1000) break;
    }
    return places;
  });
  const answer: RegexAnswer = { found };
  if (job.replacement !== undefined) answer.replaced = job.texts.map((text) => text.replace(pattern, job.replacement as string));
  parentPort?.postMessage(answer);
});
