import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { closeProjectLock, localLock, projectLock, type ProjectLock } from '../server/storage/projectLock';
import { REPO_ROOT } from './helpers/project';
import { makeTempDir, type TempDir } from './helpers/tempDir';

// The project's write lock across processes: released by the OS when its holder dies, fair to a
// process that waits behind a busy one, refused with the holder's name after the wait limit.

const LOCK = path.join(REPO_ROOT, 'dist/server/storage/projectLock.js');

let tmp: TempDir;
beforeEach(() => {
  tmp = makeTempDir('project-lock-test');
});
afterEach(() => {
  closeProjectLock(tmp.dir);
  tmp.cleanup();
});

/** A process that takes the lock, says "held", and keeps it until killed (or for `ms`). */
function holder(dir: string, ms?: number): Promise<ChildProcess> {
  const script = `
    const { projectLock } = require(${JSON.stringify(LOCK)});
    projectLock(${JSON.stringify(dir)}, { what: 'the test holder' }).hold(() => {
      process.stdout.write('held\\n');
      return new Promise((resolve) => ${ms === undefined ? 'setInterval(() => undefined, 1000)' : `setTimeout(resolve, ${ms})`});
    });`;
  const child = spawn(process.execPath, ['-e', script]);
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the holder exited (${code})`)));
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => child.once('exit', () => resolve()));

describe('the project lock', () => {
  it('keeps a writer waiting while another process holds it, and lets it in when that process is killed', async () => {
    const child = await holder(tmp.dir);
    const lock = projectLock(tmp.dir);
    let ran = false;
    const waiting = lock.hold(() => {
      ran = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(ran).toBe(false);
    child.kill('SIGKILL'); // no clean-up: the OS releases its locks
    await exited(child);
    await waiting;
    expect(ran).toBe(true);
  });

  it('refuses after the wait limit with 503, naming what holds it, and tells a waiter who it waits for', async () => {
    const child = await holder(tmp.dir);
    try {
      const told: string[] = [];
      const lock = projectLock(tmp.dir, { waitLimitMs: 400, waitNoticeMs: 100, onWait: (who) => told.push(who) });
      await expect(lock.hold(() => 'never')).rejects.toMatchObject({ status: 503, code: 'project-busy', message: expect.stringContaining(`the test holder, process ${child.pid}`) });
      expect(told).toEqual([expect.stringContaining('the test holder')]);
    } finally {
      child.kill('SIGKILL');
      await exited(child);
    }
  });

  it('lets holds of one process run side by side, and a hold inside a hold join it', async () => {
    const lock = projectLock(tmp.dir);
    const order: string[] = [];
    let release = (): void => undefined;
    const first = lock.hold(async () => {
      order.push('first in');
      expect(lock.isHeld()).toBe(true);
      // Joined, not queued behind itself.
      await lock.hold(() => order.push('nested'));
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first out');
    });
    await new Promise((r) => setTimeout(r, 20));
    await lock.hold(() => order.push('second'));
    release();
    await first;
    expect(order).toEqual(['first in', 'nested', 'second', 'first out']);
    expect(lock.isHeld()).toBe(false);
  });

  // A git sync: git reads and writes the files, so the writers of its own process wait too.
  describe.each([
    ['a project', () => projectLock(tmp.dir)],
    ['a store on its own', () => localLock()],
  ] as [string, () => ProjectLock][])('held alone (%s)', (_name, lockOf) => {
    it('waits for the running holds, keeps the holds that come meanwhile waiting until it ends, and lets holds inside it join it', async () => {
      const lock = lockOf();
      const order: string[] = [];
      let releaseRunning = (): void => undefined;
      const running = lock.hold(async () => {
        order.push('running in');
        await new Promise<void>((resolve) => (releaseRunning = resolve));
        order.push('running out');
      });
      await new Promise((r) => setTimeout(r, 20));
      let releaseAlone = (): void => undefined;
      const alone = lock.holdAlone(async () => {
        order.push('alone in');
        expect(lock.isHeld()).toBe(true);
        await lock.hold(() => order.push('inside alone'));
        await new Promise<void>((resolve) => (releaseAlone = resolve));
        order.push('alone out');
      });
      await new Promise((r) => setTimeout(r, 20));
      // The running hold is told (a write behind writes now and lets go), and a new one waits.
      expect(lock.othersWaiting()).toBe(true);
      const later = lock.hold(() => order.push('later'));
      await new Promise((r) => setTimeout(r, 20));
      expect(order).toEqual(['running in']);
      releaseRunning();
      await running;
      await new Promise((r) => setTimeout(r, 40));
      expect(order).toEqual(['running in', 'running out', 'alone in', 'inside alone']);
      releaseAlone();
      await Promise.all([alone, later]);
      expect(order).toEqual(['running in', 'running out', 'alone in', 'inside alone', 'alone out', 'later']);
      expect(lock.othersWaiting()).toBe(false);
      // And it runs at once when nothing else holds the lock.
      expect(await lock.holdAlone(() => 'alone again')).toBe('alone again');
    });

    it('among busy writers and holds apart, runs by itself each time and never stops the others for good', async () => {
      const lock = lockOf();
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      let inside = 0;
      let alone = 0;
      let holds = 0;
      let alones = 0;
      let beside = 0;
      let stop = false;
      const writer = async () => {
        while (!stop) {
          await lock.hold(async () => {
            inside++;
            holds++;
            if (alone) beside++;
            await sleep(Math.random() * 3);
            inside--;
          });
        }
      };
      const apart = async () => {
        while (!stop) {
          await lock.holdApart(async () => {
            inside++;
            if (alone) beside++;
            await sleep(Math.random() * 15);
            inside--;
          });
        }
      };
      const soloist = async () => {
        while (!stop) {
          await sleep(20 + Math.random() * 40);
          await lock.holdAlone(async () => {
            alone++;
            alones++;
            if (inside) beside++;
            await lock.hold(() => sleep(2));
            await sleep(Math.random() * 10);
            if (inside) beside++;
            alone--;
          });
        }
      };
      const tasks = [...Array.from({ length: 6 }, writer), apart(), apart(), soloist(), soloist()];
      await sleep(1500);
      stop = true;
      await Promise.all(tasks);
      expect(beside).toBe(0);
      expect(alones).toBeGreaterThan(5);
      expect(holds).toBeGreaterThan(100);
    });

    it('tells a listener once, as soon as a hold alone comes, and at once when one waits already', async () => {
      const lock = lockOf();
      let told = 0;
      lock.onOthersWaiting(() => told++);
      const stopped = lock.onOthersWaiting(() => told += 100);
      stopped();
      let releaseRunning = (): void => undefined;
      const running = lock.hold(() => new Promise<void>((resolve) => (releaseRunning = resolve)));
      await new Promise((r) => setTimeout(r, 10));
      expect(told).toBe(0);
      const alone = lock.holdAlone(() => 'alone');
      await new Promise((r) => setTimeout(r, 10));
      expect(told).toBe(1);
      let toldNow = false;
      lock.onOthersWaiting(() => (toldNow = true));
      expect(toldNow).toBe(true);
      releaseRunning();
      await running;
      expect(await alone).toBe('alone');
      expect(told).toBe(1);
    });

    it('is refused inside a hold, which it would wait for', async () => {
      const lock = lockOf();
      await expect(lock.hold(() => lock.holdAlone(() => undefined))).rejects.toThrow(/inside a hold/);
      // The lock still works.
      expect(await lock.hold(() => 'held')).toBe('held');
    });
  });

  it("tells a listener when another process comes to wait, as soon as one of this process's holds sees it", async () => {
    const lock = projectLock(tmp.dir);
    const events: string[] = [];
    lock.onOthersWaiting(() => events.push('told'));
    let stop = false;
    const writer = async () => {
      while (!stop) {
        await lock.hold(async () => {
          await new Promise((r) => setTimeout(r, 5));
        });
      }
    };
    const writers = [writer(), writer()];
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([]);
    const child = await holder(tmp.dir, 50);
    events.push('the other process in');
    await exited(child);
    stop = true;
    await Promise.all(writers);
    expect(events).toEqual(['told', 'the other process in']);
  });

  it('is fair: a process waiting for it gets it although this one never stops writing', async () => {
    const lock = projectLock(tmp.dir);
    let stop = false;
    let holds = 0;
    // Writers one after another, overlapping, for as long as the other process has not had its turn.
    const writer = async () => {
      while (!stop) {
        await lock.hold(async () => {
          holds++;
          await new Promise((r) => setTimeout(r, 5));
        });
      }
    };
    const writers = [writer(), writer(), writer()];
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const child = await holder(tmp.dir, 50); // says "held" once it has had its turn
    const waited = Date.now() - started;
    await exited(child);
    stop = true;
    await Promise.all(writers);
    expect(holds).toBeGreaterThan(10);
    expect(waited).toBeLessThan(5000);
  });
});
