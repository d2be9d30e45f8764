import { Worker } from 'node:worker_threads';
import { builtWorkerScript } from '../builtWorkerScript';
import { WorkbenchError } from '../errors';
import type { RegexAnswer, RegexJob } from './regexWorker';

/** How long a regular expression may run over a search's texts. */
export const REGEX_TIME_LIMIT_MS = 2000;

/**
 * Runs a regular expression over texts on a thread of its own, stopped after REGEX_TIME_LIMIT_MS:
 * JavaScript cannot interrupt a match, and a pattern such as `(a+)+$` takes exponential time on
 * some texts. Too slow is a 400 that says so; the server never waits longer.
 */
export function runRegex(pattern: RegExp, texts: string[], replacement?: string): Promise<RegexAnswer> {
  const worker = new Worker(builtWorkerScript(__dirname, 'regexWorker', 'regular expression thread'));
  const job: RegexJob = { source: pattern.source, flags: pattern.flags, texts, ...(replacement !== undefined ? { replacement } : {}) };
  return new Promise<RegexAnswer>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new WorkbenchError(400, 'search-regex-too-slow', `The regular expression took more than ${REGEX_TIME_LIMIT_MS / 1000} s and was stopped: make it simpler (nested repetitions such as (a+)+ take exponential time).`));
      void worker.terminate();
    }, REGEX_TIME_LIMIT_MS);
    worker.once('message', (answer: RegexAnswer) => {
      clearTimeout(timer);
      resolve(answer);
      void worker.terminate();
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    worker.postMessage(job);
  });
}
