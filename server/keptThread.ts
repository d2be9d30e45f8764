import { type ResourceLimits, Worker } from 'node:worker_threads';

/**
 * What a kept thread's script posts back: the id of the request it answers, and with `signal` a
 * signal on the way (the request goes on; `value` is for the caller) instead of the answer.
 */
export interface ThreadMessage {
  id: number;
  signal?: boolean;
  value?: string;
}

/** A worker thread kept for requests of one kind (see keptThread). */
export interface KeptThread {
  /**
   * Posts `request` to the thread with an id, after every request given before; resolves with its
   * answer. Rejects when the thread fails (`error`, such as running out of the memory it is given)
   * or stops before answering (`the <what> stopped (exit code N)`), or cannot be started.
   * `onSignal` gets the signals on the way. The buffers in `transfer` are moved to the thread, not
   * copied: the caller no longer has them.
   */
  request<Answer extends ThreadMessage>(request: object, onSignal?: (value?: string) => void, transfer?: readonly ArrayBuffer[]): Promise<Answer>;
}

interface Pending {
  /** The worker the request was given to: only its own end fails it. */
  worker: Worker;
  resolve(answer: ThreadMessage): void;
  reject(err: Error): void;
  onSignal?: (value?: string) => void;
}

/**
 * A worker thread started on first use and kept for the requests after it: starting one takes a
 * quarter of a second on a small virtual machine (its own V8, the modules it loads), more than
 * most requests. It goes after `idleMs` with nothing to do, and never keeps the process alive
 * while it has nothing to do. The script answers each request it is posted (`{ id, ...request }`)
 * with a message of the same id (see ThreadMessage).
 */
export function keptThread(options: { script: () => string; what: string; idleMs: number; resourceLimits?: ResourceLimits }): KeptThread {
  let worker: Worker | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let nextId = 0;
  const pending = new Map<number, Pending>();

  /**
   * Fails the requests given to `ended`, and only those: a worker let go after a while idle ends
   * a moment later, when the next request may already be running on the worker that followed it.
   */
  function failAll(ended: Worker, err: Error): void {
    for (const [id, request] of pending) {
      if (request.worker !== ended) continue;
      pending.delete(id);
      request.reject(err);
    }
  }

  function start(): Worker {
    const started = new Worker(options.script(), options.resourceLimits ? { resourceLimits: options.resourceLimits } : {});
    started.on('message', (message: ThreadMessage) => {
      const request = pending.get(message.id);
      if (!request) return;
      if (message.signal) {
        request.onSignal?.(message.value);
        return;
      }
      pending.delete(message.id);
      request.resolve(message);
      if (pending.size === 0) idle();
    });
    started.on('error', (err) => {
      if (worker === started) worker = undefined;
      failAll(started, err instanceof Error ? err : new Error(String(err)));
    });
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      failAll(started, new Error(`the ${options.what} stopped (exit code ${code})`));
    });
    return started;
  }

  /** Nothing left to do: the worker no longer keeps the process alive, and goes if nothing comes. */
  function idle(): void {
    const current = worker;
    current?.unref();
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (worker === current && pending.size === 0) {
        worker = undefined;
        void current?.terminate();
      }
    }, options.idleMs);
    idleTimer.unref();
  }

  return {
    request<Answer extends ThreadMessage>(request: object, onSignal?: (value?: string) => void, transfer?: readonly ArrayBuffer[]): Promise<Answer> {
      let current: Worker;
      try {
        current = worker ??= start();
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      clearTimeout(idleTimer);
      current.ref();
      const id = nextId++;
      const answered = new Promise<Answer>((resolve, reject) => pending.set(id, { worker: current, resolve: resolve as (answer: ThreadMessage) => void, reject, onSignal }));
      current.postMessage({ ...request, id }, transfer ? [...transfer] : undefined);
      return answered;
    },
  };
}
