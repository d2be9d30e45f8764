import { Worker } from 'node:worker_threads';

/**
 * Runs a worker thread for one request: posts `request` to the script, resolves with its one
 * reply, and ends the thread. A thread that fails (its `error`, such as running out of the
 * memory it is given) rejects with `failed(err)`; one that stops before replying with
 * `stopped(code)`. Whatever happens first settles it, once.
 */
export function replyOfThread<Reply>(
  script: string,
  request: unknown,
  options: { maxOldGenerationSizeMb: number; failed: (err: Error) => Error; stopped: (code: number) => Error },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } });
    let settled = false;
    const finish = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
      void worker.terminate();
    };
    worker.once('message', (reply: Reply) => finish(() => resolve(reply)));
    worker.once('error', (err) => finish(() => reject(options.failed(err))));
    worker.once('exit', (code) => finish(() => reject(options.stopped(code))));
    worker.postMessage(request);
  });
}
