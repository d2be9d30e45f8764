import { existsSync, readFileSync, statSync } from 'node:fs';
import { databaseFileOf } from '../server/storage/sql/openDatabase';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { main } from '../scripts/workbench';
import { makeProject, type TestProject } from './helpers/project';

let project: TestProject;
let dbFile: string;
beforeEach(() => {
  project = makeProject();
  dbFile = databaseFileOf(project.dir);
});
afterEach(() => project.cleanup());

async function run(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => (out += t), err: (t: string) => (err += t), env: { WORKBENCH_DATA: project.dir }, stdin: stdin === undefined ? undefined : async () => stdin };
  const code = await main(args, io);
  return { code, out, err };
}

const store = () => projectRecords(project.dir).accounts;
/** Everything the database holds on disk, the write-ahead log included, as text to search. */
const dbBytes = () => [dbFile, `${dbFile}-wal`].map((f) => (existsSync(f) ? readFileSync(f).toString('latin1') : '')).join('');
/** The accounts tables, to compare before and after a refused command. */
const accountRows = () => ['users', 'user_roles', 'api_tokens'].map((t) => projectRecords(project.dir).db.prepare(`SELECT * FROM ${t}`).all());

describe('workbench user', () => {
  it('user add --password-stdin takes the first line of standard input as the password', async () => {
    const result = await run(['user', 'add', 'José María', '--role', 'translator:es, reviewer:FR', '--password-stdin'], 'a long passphrase\r\nsecond line\n');
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toBe('Added user José María (translator:es, reviewer:fr).\n');
    expect(await store().checkPassword('josé maría', 'a long passphrase')).toMatchObject({ name: 'José María' });
    expect(dbBytes()).not.toContain('a long passphrase');
    expect(statSync(dbFile).mode & 0o777).toBe(0o600);
  });

  it('user add without --password-stdin prints a random 20-character password once', async () => {
    const result = await run(['user', 'add', 'Ana', '--role', 'admin']);
    expect(result.code).toBe(0);
    const password = /Password for Ana: (\S+)\n/.exec(result.out)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(result.out).toMatch(/Give this password to Ana/);
    expect(await store().checkPassword('Ana', password!)).toMatchObject({ roles: [{ kind: 'admin' }] });
    expect(dbBytes()).not.toContain(password!);
  });

  it('refuses a bad role with exit 1 and the message, writing nothing', async () => {
    for (const role of ['translator:../x', 'reviewer:', 'chief:es', 'translator:es/../x']) {
      const result = await run(['user', 'add', 'Ana', '--role', role], 'a long passphrase\n');
      expect(result).toMatchObject({ code: 1, out: '' });
      expect(result.err).toContain(`Role "${role}"`);
    }
    expect(await store().countUsers()).toBe(0);
    await run(['user', 'add', 'Ana', '--role', 'admin', '--password-stdin'], 'a long passphrase\n');
    const before = accountRows();
    expect(await run(['user', 'roles', 'Ana', '--role', 'translator:../x'])).toMatchObject({ code: 1, err: expect.stringContaining('"../x" is not a language tag') });
    expect(accountRows()).toEqual(before);
  });

  it('refuses duplicates, short passwords and bad names with exit 1, and a missing --role with exit 2', async () => {
    await run(['user', 'add', 'Ana', '--role', 'admin', '--password-stdin'], 'a long passphrase\n');
    expect(await run(['user', 'add', 'ANA', '--role', 'admin'])).toMatchObject({ code: 1, err: expect.stringMatching(/already exists/) });
    expect(await run(['user', 'add', 'Bo', '--role', 'admin', '--password-stdin'], 'short\n')).toMatchObject({ code: 1, err: expect.stringMatching(/at least 10 characters/) });
    expect(await run(['user', 'add', '../x', '--role', 'admin'])).toMatchObject({ code: 1, err: expect.stringMatching(/user name/) });
    expect(await run(['user', 'add', 'Bo', '--role', 'admin', '--password-stdin'])).toMatchObject({ code: 1, err: expect.stringMatching(/standard input/) });
    expect(await run(['user', 'add', 'Bo'])).toMatchObject({ code: 2, err: expect.stringContaining('--role') });
    expect(await run(['user', 'frob'])).toMatchObject({ code: 2 });
    expect((await store().listUsers()).map((u) => u.name)).toEqual(['Ana']);
  });

  it('user passwd and user roles change a user', async () => {
    await run(['user', 'add', 'Ana', '--role', 'translator:es', '--password-stdin'], 'a long passphrase\n');
    expect(await run(['user', 'passwd', 'ana', '--password-stdin'], 'another passphrase\n')).toMatchObject({ code: 0, out: 'Changed the password of Ana.\n' });
    expect(await store().checkPassword('Ana', 'another passphrase')).toBeDefined();
    const generated = await run(['user', 'passwd', 'Ana']);
    expect(generated.out).toMatch(/Password for Ana: [A-Za-z0-9]{20}\n/);
    expect(await run(['user', 'roles', 'Ana', '--role', 'reviewer:es', '--role', 'admin'])).toMatchObject({ code: 0, out: 'Ana is now reviewer:es, admin.\n' });
    expect(await run(['user', 'passwd', 'nobody'])).toMatchObject({ code: 1, err: expect.stringMatching(/no user "nobody"/) });
  });

  it('user list --json shows names, roles, dates and active tokens, and no hash', async () => {
    await run(['user', 'add', 'Ana', '--role', 'translator:es,reviewer:fr', '--password-stdin'], 'a long passphrase\n');
    await run(['user', 'add', 'Bo', '--role', 'admin', '--password-stdin'], 'a long passphrase\n');
    await run(['token', 'create', 'Ana']);
    const revoked = await run(['token', 'create', 'Ana']);
    const id = /Created token (\S+)/.exec(revoked.err)?.[1];
    expect(await run(['token', 'revoke', 'Ana', id!])).toMatchObject({ code: 0 });

    const result = await run(['user', 'list', '--json']);
    expect(result.code).toBe(0);
    expect(result.out).not.toMatch(/scrypt|hash"|passwordHash|[0-9a-f]{64}|wb_/);
    expect(JSON.parse(result.out)).toEqual({
      users: [
        { name: 'Ana', roles: [{ kind: 'translator', locale: 'es' }, { kind: 'reviewer', locale: 'fr' }], createdAt: expect.any(String), hasPassword: true, activeTokens: 1 },
        { name: 'Bo', roles: [{ kind: 'admin' }], createdAt: expect.any(String), hasPassword: true, activeTokens: 0 },
      ],
    });
    const text = await run(['user', 'list']);
    expect(text.out).toMatch(/^Ana\s+translator:es, reviewer:fr\s+created \d{4}-\d\d-\d\d\s+1 active token\n/m);
    expect(text.out).not.toContain('scrypt');
  });

  it('refuses to work over an accounts file of the previous version that is corrupt, and leaves it as it is', async () => {
    project.write('accounts/accounts.json', '{ broken');
    expect(await run(['user', 'list'])).toMatchObject({ code: 1, err: expect.stringContaining('accounts/accounts.json is not a valid accounts file') });
    expect(await run(['user', 'add', 'Ana', '--role', 'admin'])).toMatchObject({ code: 1, out: '' });
    expect(project.read('accounts/accounts.json')).toBe('{ broken');
  });
});

describe('workbench token', () => {
  beforeEach(async () => {
    await run(['user', 'add', 'Ana', '--role', 'translator:es', '--password-stdin'], 'a long passphrase\n');
    await run(['user', 'add', 'Bo', '--role', 'reviewer:es', '--password-stdin'], 'a long passphrase\n');
  });

  it('token create prints exactly the token and a newline on stdout, the rest on stderr', async () => {
    const result = await run(['token', 'create', 'ana', '--label', 'CI deploy']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^wb_[A-Za-z0-9_-]{43}\n$/);
    expect(result.out.trimEnd().split('\n')).toHaveLength(1);
    expect(result.out.trimEnd()).toMatch(/^wb_[A-Za-z0-9_-]{43}$/);
    expect(result.err).toMatch(/Created token [0-9a-f]{12} for ana/);
    const token = result.out.trimEnd();
    expect(await store().verifyToken(token)).toMatchObject({ name: 'Ana' });
    expect(dbBytes()).not.toContain(token.slice(3));
  });

  it('token list and token revoke; a revoked token no longer verifies; another user cannot revoke it', async () => {
    const created = await run(['token', 'create', 'Ana', '--label', 'laptop']);
    const token = created.out.trimEnd();
    const id = /Created token (\S+)/.exec(created.err)![1];

    const listed = await run(['token', 'list', 'Ana']);
    expect(listed.out).toMatch(new RegExp(`^${id}\\s+created \\d{4}-\\d\\d-\\d\\d\\s+active\\s+laptop\\n$`));
    expect(listed.out).not.toContain(token);

    expect(await run(['token', 'revoke', 'Bo', id])).toMatchObject({ code: 1, err: expect.stringMatching(/has no token/) });
    expect(await store().verifyToken(token)).toBeDefined();
    expect(await run(['token', 'revoke', 'Ana', id])).toMatchObject({ code: 0, out: `Revoked token ${id} of Ana.\n` });
    expect(await store().verifyToken(token)).toBeUndefined();
    expect((await run(['token', 'list', 'Ana'])).out).toMatch(/revoked \d{4}-\d\d-\d\d/);
    expect(JSON.parse((await run(['token', 'list', 'Ana', '--json'])).out).tokens).toEqual([
      { id, user: 'Ana', label: 'laptop', createdAt: expect.any(String), revokedAt: expect.any(String) },
    ]);
  });

  it('answers unknown users and usage errors', async () => {
    expect(await run(['token', 'create', 'nobody'])).toMatchObject({ code: 1, out: '', err: expect.stringMatching(/no user "nobody"/) });
    expect(await run(['token', 'revoke', 'Ana'])).toMatchObject({ code: 2 });
    expect(await run(['token'])).toMatchObject({ code: 2 });
    expect((await run(['--help'])).out).toContain('token create <name>');
  });
});
