import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keptThread, type ThreadMessage } from '../server/keptThread';
import { makeTempDir, type TempDir } from './helpers/tempDir';

// The threads the file writes and the long database reads run on are kept between requests:
// starting one took a quarter of a second, more than most requests.

let tmp: TempDir;
beforeEach(() => {
  tmp = makeTempDir('kept-thread-test');
});
afterEach(() => tmp.cleanup());

/**
 * A thread script that answers each request with the thread's id; a request `{ crash: true }`
 * throws out of the thread, `{ exit: true }` stops it, `{ signals: n }` signals n times first.
 */
function script(): string {
  const file = join(tmp.dir, 'echo-worker.js');
  writeFileSync(
    file,
    `const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ id, crash, exit, signals = 0 }) => {
  if (crash) throw new Error('the thread broke');
  if (exit) process.exit(3);
  for (let i = 0; i < signals; i++) parentPort.postMessage({ id, signal: true, value: String(i) });
  parentPort.postMessage({ id, threadId });
});
`,
  );
  return file;
}

type Echo = ThreadMessage & { threadId: number };

test('requests one after another run on the same thread, and answer in turn with their signals', async () => {
  const thread = keptThread({ script, what: 'echo thread', idleMs: 30_000 });
  const signals: (string | undefined)[] = [];
  const [first, second, third] = await Promise.all([thread.request<Echo>({}), thread.request<Echo>({ signals: 2 }, (value) => signals.push(value)), thread.request<Echo>({})]);
  expect(second.threadId).toBe(first.threadId);
  expect(third.threadId).toBe(first.threadId);
  expect(signals).toEqual(['0', '1']);
  expect((await thread.request<Echo>({})).threadId).toBe(first.threadId);
});

test('after a while idle the thread goes; a request given as it ends runs on the next one', async () => {
  // Only the idle timer is faked: the threads and their messages are real.
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime', 'performance', 'Date'] });
  try {
    const thread = keptThread({ script, what: 'echo thread', idleMs: 30_000 });
    const first = await thread.request<Echo>({});
    jest.advanceTimersByTime(29_000);
    expect((await thread.request<Echo>({})).threadId).toBe(first.threadId);
    // The timer starts again from the last answer.
    jest.advanceTimersByTime(30_000);
    const next = await thread.request<Echo>({});
    expect(next.threadId).not.toBe(first.threadId);
  } finally {
    jest.useRealTimers();
  }
});

test('a thread that breaks or stops fails the requests it was given, and the next request starts another', async () => {
  const thread = keptThread({ script, what: 'echo thread', idleMs: 30_000 });
  const first = await thread.request<Echo>({});
  await expect(thread.request({ crash: true })).rejects.toThrow('the thread broke');
  const second = await thread.request<Echo>({});
  expect(second.threadId).not.toBe(first.threadId);
  await expect(thread.request({ exit: true })).rejects.toThrow('the echo thread stopped (exit code 3)');
  expect((await thread.request<Echo>({})).threadId).not.toBe(second.threadId);
});

test('a thread that cannot start fails the request with the reason', async () => {
  const thread = keptThread({
    script: () => {
      throw new Error('The echo thread is not built');
    },
    what: 'echo thread',
    idleMs: 30_000,
  });
  await expect(thread.request({})).rejects.toThrow('The echo thread is not built');
});
