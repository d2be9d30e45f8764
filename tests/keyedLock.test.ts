import { keyedLock } from '../server/storage/keyedLock';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('keyedLock', () => {
  it('runs the tasks of one key one after another in call order; a failure does not block the next; other keys run meanwhile', async () => {
    const exclusive = keyedLock();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([exclusive('a', task('a1', 30, true)), exclusive('a', task('a2', 5)), exclusive('b', task('b1', 10))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
    // b is not held back by a.
    expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
  });
});
