import { createSqlLoginThrottle } from '../server/storage/sql/sqlLoginThrottle';
import { databaseFileOf, openDatabase, type SqlDatabase } from '../server/storage/sql/openDatabase';
import { makeTempDir, type TempDir } from './helpers/tempDir';

let temp: TempDir;
let db: SqlDatabase;
let clock: number;
beforeEach(() => {
  temp = makeTempDir('throttle');
  db = openDatabase(databaseFileOf(temp.dir));
  clock = Date.parse('2026-12-04T10:00:00Z');
});
afterEach(() => {
  db.close();
  temp.cleanup();
});

describe('the login throttle', () => {
  it('an address is refused for the rest of the window after 5 failures', () => {
    const throttle = createSqlLoginThrottle(db, { now: () => clock });
    for (let i = 0; i < 5; i++) expect(throttle.begin(`someone-${i}`, '203.0.113.9').attempt).toBeDefined();
    expect(throttle.begin('ana', '203.0.113.9').retryAfter).toBe(15 * 60);
    clock += 14 * 60 * 1000;
    expect(throttle.begin('ana', '203.0.113.9').attempt).toBeUndefined();
    clock += 61 * 1000;
    expect(throttle.begin('ana', '203.0.113.9').attempt).toBeDefined();
  });

  it('failures on an account from many addresses slow its attempts down, doubling to a minute, but never lock its owner out', () => {
    const throttle = createSqlLoginThrottle(db, { now: () => clock });
    for (let i = 0; i < 5; i++) expect(throttle.begin('Ana', `198.51.100.${i}`).attempt).toBeDefined();
    // The sixth attempt, from the owner's own address: one second after the last failure.
    expect(throttle.begin('ana', '192.0.2.1').retryAfter).toBe(1);
    clock += 1000;
    expect(throttle.begin('ana', '192.0.2.2').attempt).toBeDefined(); // a sixth failure
    expect(throttle.begin('ana', '192.0.2.3').retryAfter).toBe(2);
    // A stranger failing on and on: the wait stops growing at a minute.
    for (let i = 0; i < 12; i++) {
      clock += 60_000;
      expect(throttle.begin('ana', `198.51.100.${100 + i}`).attempt).toBeDefined();
    }
    expect(throttle.begin('ana', '192.0.2.1').retryAfter).toBe(60);
    clock += 60_000;
    const owner = throttle.begin('ana', '192.0.2.1');
    expect(owner.attempt).toBeDefined();
    // The right password: the account is clear again.
    throttle.succeed(owner.attempt!);
    expect(throttle.begin('ana', '192.0.2.1').attempt).toBeDefined();
  });
});
