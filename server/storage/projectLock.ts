import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { WorkbenchError } from '../errors';

/**
 * The write lock of a project, shared by every process that writes it: the server, each CLI
 * command, a second server started by mistake. A process holds it while any of its writers runs
 * (`hold`), so one process's writers work side by side (each file still has its own queue) while
 * another process's wait: no process reads a file, decides, and writes it back over what another
 * process wrote meanwhile.
 *
 * The lock is the operating system's: an exclusive SQLite transaction on `<project>/workbench.lock`
 * (a file of no content; SQLite takes POSIX locks on it). When a process dies, whatever it held is
 * released with it. A busy lock is never waited on inside SQLite (that would stop the event loop):
 * it is tried, and tried again a few milliseconds later.
 *
 * Fairness: a process that wants the lock first takes the gate (`workbench.lock-gate`) and keeps
 * it while it waits for the lock. A process holding the lock looks at the gate before letting in
 * a new writer: when someone waits there, it lets its running writers finish, then gives the lock
 * up (new writers queue), so a busy server cannot keep a CLI command waiting for ever.
 */
export interface ProjectLock {
  /**
   * Runs `task` holding the project's lock. Inside a hold (in this process, through whatever the
   * task awaits) a further `hold` joins it. Waits for another process's hold to end; after
   * `waitLimitMs`, 503 'project-busy' naming what holds it.
   */
  hold<T>(task: () => T | Promise<T>): Promise<T>;
  /**
   * hold for work that outlives its caller (a write behind the saves that started it): a hold of
   * its own even when called inside another, which it neither joins nor keeps waiting.
   */
  holdApart<T>(task: () => T | Promise<T>): Promise<T>;
  /**
   * hold for work that needs the project to itself within this process too (a git sync: git reads
   * and writes the files, which no writer of this process may touch meanwhile): it waits for this
   * process's running holds to end (a write behind is told, by othersWaiting, to write now and let
   * go), holds that come meanwhile wait until it ends, and holds inside it join it as usual. Not
   * inside a hold: it would wait for itself.
   */
  holdAlone<T>(task: () => T | Promise<T>): Promise<T>;
  /** True when the caller runs inside a hold of this lock. */
  isHeld(): boolean;
  /** True when another process waits for the lock (at its gate): work that can end its hold sooner should. */
  othersWaiting(): boolean;
  /**
   * Calls `listener` once, as soon as a hold of this process sees that another writer waits (as
   * othersWaiting then says): work waiting out a delay before it lets go (a write behind) stops
   * waiting then, not at its next look. Returns what stops listening.
   */
  onOthersWaiting(listener: () => void): () => void;
}

export interface ProjectLockOptions {
  /** How long a writer waits for another process before 503 'project-busy' (default 2 minutes). */
  waitLimitMs?: number;
  /** Said once when a writer has waited a while (the CLI prints it). */
  onWait?: (holder: string) => void;
  /** How long a wait is before onWait is told (default 1 s). */
  waitNoticeMs?: number;
  /** What this process is, for the messages of the others (default: its command line). */
  what?: string;
}

/** Whose hold a waiting process is behind, as written by the holder. */
interface Holder {
  pid: number;
  what: string;
  since: string;
}

const DEFAULT_WAIT_LIMIT_MS = 120_000;
/**
 * The longest pause between two looks of a waiting writer at the lock: it sees the lock given up
 * within this long (a look takes and gives back an SQLite lock, a tenth of a millisecond or more).
 * A command beside a busy server waits about a tenth of a second for its turn, and the server's
 * saves for the command's moment: at 20 ms, a tenth of that again went by before either saw it.
 */
const MAX_POLL_MS = 5;
/**
 * How long a free gate is taken as still free (see admit): a process that comes to wait is seen
 * within this long. A look takes and gives back an SQLite lock, a tenth of a millisecond or more.
 */
const GATE_LOOK_MS = 25;

/** One OS lock: an exclusive transaction on a SQLite file that holds nothing. */
class FileLock {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('busy_timeout = 0');
  }

  /** Takes the lock if nobody holds it; never waits. */
  tryTake(): boolean {
    try {
      this.db.exec('BEGIN EXCLUSIVE');
      return true;
    } catch (err) {
      // A refused BEGIN can leave the connection in a transaction of its own: end it.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      if ((err as { code?: string }).code === 'SQLITE_BUSY' || (err as { code?: string }).code === 'SQLITE_LOCKED') return false;
      throw err;
    }
  }

  release(): void {
    if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  close(): void {
    this.release();
    if (this.db.open) this.db.close();
  }
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
  since: number;
  told: boolean;
  /** A holdAlone: let in by itself, the holds queued after it waiting until it ends. */
  alone: boolean;
}

interface HoldContext {
  lock: ProcessLock;
  active: boolean;
}

const context = new AsyncLocalStorage<HoldContext>();

/** The refusal of a holdAlone asked inside a hold (see ProjectLock.holdAlone). */
const aloneInsideHold = (): Error => new Error('ProjectLock.holdAlone cannot be called inside a hold of the project lock: it would wait for itself.');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class ProcessLock implements ProjectLock {
  private readonly main: FileLock;
  private readonly gate: FileLock;
  private readonly holderFile: string;
  /** Holds running in this process. */
  private running = 0;
  private held = false;
  /** Another process waits at the gate, or a hold alone waits: no new holds until the running ones end. */
  private draining = false;
  /** Told once when the holds start draining (see onOthersWaiting). */
  private readonly drainListeners = new Set<() => void>();
  private acquiring = false;
  private closed = false;
  /** When the gate was last seen free (performance.now()). */
  private gateSeenFreeAt = -Infinity;
  private readonly queue: Waiter[] = [];

  constructor(
    dir: string,
    private readonly options: ProjectLockOptions,
    /** The lock's file; its gate and holder are `<name>-gate` and `<name>-holder` beside it. */
    name = 'workbench.lock',
  ) {
    this.main = new FileLock(path.join(dir, name));
    this.gate = new FileLock(path.join(dir, `${name}-gate`));
    this.holderFile = path.join(dir, `${name}-holder`);
  }

  /** Options given by a later caller (the CLI's notice) take over from the first ones. */
  configure(options: ProjectLockOptions): void {
    Object.assign(this.options, options);
  }

  isHeld(): boolean {
    const store = context.getStore();
    return store !== undefined && store.lock === this && store.active;
  }

  onOthersWaiting(listener: () => void): () => void {
    if (this.draining) {
      listener();
      return () => undefined;
    }
    this.drainListeners.add(listener);
    return () => this.drainListeners.delete(listener);
  }

  /** The running holds are let end, and the holds after them wait: whoever listens is told. */
  private drain(): void {
    this.draining = true;
    const listeners = [...this.drainListeners];
    this.drainListeners.clear();
    for (const listener of listeners) listener();
  }

  othersWaiting(): boolean {
    if (this.draining) return true;
    if (this.closed) return false;
    // Whoever waits holds the gate (see acquire): a gate taken and given back at once is a free one.
    if (!this.gate.tryTake()) return true;
    this.gate.release();
    return false;
  }

  async hold<T>(task: () => T | Promise<T>): Promise<T> {
    if (this.isHeld()) return task();
    return this.holdApart(task);
  }

  async holdApart<T>(task: () => T | Promise<T>): Promise<T> {
    await this.admit(false);
    return this.run(task);
  }

  async holdAlone<T>(task: () => T | Promise<T>): Promise<T> {
    if (this.isHeld()) throw aloneInsideHold();
    await this.admit(true);
    return this.run(task);
  }

  private async run<T>(task: () => T | Promise<T>): Promise<T> {
    const store: HoldContext = { lock: this, active: true };
    try {
      return await context.run(store, task);
    } finally {
      store.active = false;
      this.leave();
    }
  }

  private admit(alone: boolean): Promise<void> | undefined {
    if (this.closed) throw new Error('The project lock was closed.');
    if (!alone && this.held && !this.draining && this.queue.length === 0) {
      // The gate is looked at once every few milliseconds, not at every hold: a busy server lets
      // hundreds of holds in a second, and a waiter is seen soon enough either way.
      const now = performance.now();
      if (now - this.gateSeenFreeAt < GATE_LOOK_MS) {
        this.running++;
        return undefined;
      }
      if (this.gate.tryTake()) {
        this.gate.release();
        this.gateSeenFreeAt = now;
        this.running++;
        return undefined;
      }
      this.drain(); // someone waits at the gate: let them in once the running holds end
    }
    // A hold alone lets the running holds end (the lock is then given up and taken again, as for
    // another process), and the holds after it wait.
    if (alone && this.held) this.drain();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ resolve, reject, since: Date.now(), told: false, alone });
      this.acquireSoon();
    });
  }

  private leave(): void {
    this.running--;
    if (this.running > 0 || !this.held) return;
    this.held = false;
    this.draining = false;
    this.gateSeenFreeAt = -Infinity;
    this.main.release();
    this.acquireSoon();
  }

  private acquireSoon(): void {
    if (this.held || this.acquiring || this.queue.length === 0) return;
    this.acquiring = true;
    void this.acquire().finally(() => {
      this.acquiring = false;
      this.acquireSoon();
    });
  }

  /** Takes the gate, then the lock, then lets every queued writer in. */
  private async acquire(): Promise<void> {
    let delay = 1;
    const wait = async () => {
      this.expireWaiters();
      await sleep(delay);
      delay = Math.min(MAX_POLL_MS, Math.ceil(delay * 1.5));
    };
    // Nobody left to let in (they waited too long), or the lock closed: stop trying.
    const wanted = () => this.queue.length > 0 && !this.closed;
    for (;;) {
      if (!wanted()) return;
      if (this.gate.tryTake()) break;
      await wait();
    }
    try {
      for (;;) {
        if (!wanted()) return;
        if (this.main.tryTake()) break;
        await wait();
      }
    } finally {
      this.gate.release();
    }
    // Everyone queued, in order, up to a hold alone; that one by itself when it comes first.
    const firstAlone = this.queue.findIndex((waiter) => waiter.alone);
    const admitted = this.queue.splice(0, firstAlone === 0 ? 1 : firstAlone < 0 ? this.queue.length : firstAlone);
    if (admitted.length === 0) {
      this.main.release();
      return;
    }
    this.held = true;
    // While a hold alone runs, or waits behind the holds let in now, new holds queue.
    if (admitted[0].alone || this.queue.some((waiter) => waiter.alone)) this.drain();
    else this.draining = false;
    this.writeHolder();
    this.running += admitted.length;
    for (const waiter of admitted) waiter.resolve();
  }

  /** Tells long waiters who they wait for, and refuses those who waited too long. */
  private expireWaiters(): void {
    const now = Date.now();
    const limit = this.options.waitLimitMs ?? DEFAULT_WAIT_LIMIT_MS;
    const notice = this.options.waitNoticeMs ?? 1000;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const waiter = this.queue[i];
      if (!waiter.told && now - waiter.since >= notice && this.options.onWait) {
        waiter.told = true;
        this.options.onWait(this.describeHolder());
      }
      if (now - waiter.since < limit) continue;
      this.queue.splice(i, 1);
      waiter.reject(
        new WorkbenchError(503, 'project-busy', `Another workbench process (${this.describeHolder()}) has been writing to this project for over ${Math.round(limit / 1000)} s; nothing was changed. Try again once it is done.`, {
          params: { holder: this.describeHolder(), seconds: Math.round(limit / 1000) },
        }),
      );
    }
  }

  private writeHolder(): void {
    const holder: Holder = { pid: process.pid, what: this.options.what ?? defaultWhat(), since: new Date().toISOString() };
    try {
      writeFileSync(this.holderFile, `${JSON.stringify(holder)}\n`);
    } catch {
      // Only ever read for a message: a project on a read-only disk still locks.
    }
  }

  private describeHolder(): string {
    try {
      const holder = JSON.parse(readFileSync(this.holderFile, 'utf8')) as Holder;
      return `${holder.what}, process ${holder.pid}, since ${holder.since}`;
    } catch {
      return 'unknown process';
    }
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter.reject(new Error('The project lock was closed.'));
    this.main.close();
    this.gate.close();
  }
}

function defaultWhat(): string {
  const script = path.basename(process.argv[1] ?? 'node');
  if (script.startsWith('workbench')) return `workbench ${process.argv[2] ?? ''}`.trim();
  if (script.startsWith('server')) return 'the workbench server';
  return script;
}

/**
 * A lock for stores used on their own (tests, benchmarks): holds nest as with a project's lock,
 * but no other process is told or waited for.
 */
export function localLock(): ProjectLock {
  const held = new AsyncLocalStorage<boolean>();
  /** Holds running, and the end of a hold alone running or waiting (holds wait for it). */
  let running = 0;
  let alone: Promise<void> | undefined;
  let drained: (() => void) | undefined;
  const listeners = new Set<() => void>();
  const apart = async <T>(task: () => T | Promise<T>): Promise<T> => {
    while (alone) await alone;
    running++;
    try {
      return await held.run(true, task);
    } finally {
      if (--running === 0) drained?.();
    }
  };
  return {
    isHeld: () => held.getStore() === true,
    othersWaiting: () => alone !== undefined,
    onOthersWaiting(listener) {
      if (alone !== undefined) {
        listener();
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async hold(task) {
      if (held.getStore() === true) return task();
      return apart(task);
    },
    holdApart: apart,
    async holdAlone(task) {
      if (held.getStore() === true) throw aloneInsideHold();
      while (alone) await alone;
      let end = (): void => undefined;
      alone = new Promise<void>((resolve) => {
        end = resolve;
      });
      const told = [...listeners];
      listeners.clear();
      for (const listener of told) listener();
      try {
        if (running > 0) await new Promise<void>((resolve) => (drained = resolve));
        drained = undefined;
        return await held.run(true, task);
      } finally {
        alone = undefined;
        end();
      }
    },
  };
}

const locks = new Map<string, ProcessLock>();
const gitLocks = new Map<string, ProcessLock>();

/** The lock named `name` of the project in `dir` from `map`: one per project per process, made on first use (later options take over). */
function lockIn(map: Map<string, ProcessLock>, dir: string, options: ProjectLockOptions, name?: string): ProcessLock {
  const key = realpathSync(dir);
  let lock = map.get(key);
  if (!lock) {
    lock = new ProcessLock(key, { ...options }, name);
    map.set(key, lock);
  } else {
    lock.configure(options);
  }
  return lock;
}

/** The lock of the project in `dir`: one per project per process (see ProjectLock). */
export function projectLock(dir: string, options: ProjectLockOptions = {}): ProjectLock {
  return lockIn(locks, dir, options);
}

/**
 * The lock of the project's git work that does not touch its files (a sync's fetch and push, its
 * steps one after the other): two syncs, from two processes, never run at once, and the project's
 * own lock is held only for what reads or writes the files, so that a server's saves do not wait
 * for the network of a sync run from the command line. Taken before the project's lock, never
 * inside a hold of it.
 */
export function gitLock(dir: string, options: ProjectLockOptions = {}): ProjectLock {
  return lockIn(gitLocks, dir, options, GIT_LOCK);
}

/** Closes the lock files of a project (tests that remove the project folder). */
export function closeProjectLock(dir: string): void {
  let key: string;
  try {
    key = realpathSync(dir);
  } catch {
    return;
  }
  for (const map of [locks, gitLocks]) {
    map.get(key)?.close();
    map.delete(key);
  }
}

const GIT_LOCK = 'workbench.lock-git';

/** Files of the locks: never copied, never swept (see backupProject). */
export const LOCK_FILES = ['workbench.lock', 'workbench.lock-gate', 'workbench.lock-holder', GIT_LOCK, `${GIT_LOCK}-gate`, `${GIT_LOCK}-holder`];
