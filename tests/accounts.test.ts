import { readFileSync } from 'node:fs';
import type { AccountRepository } from '../server/accounts/accountRepository';
import { formatRoles, normalizeRoles, parseRoles } from '../server/accounts/parseRoles';
import { checkPasswordRules, generatePassword, hashPassword, verifyPassword } from '../server/accounts/passwords';
import { checkUserName, isUserName, sameUserName } from '../server/accounts/userNames';
import { databaseFileOf, openDatabase, type SqlDatabase } from '../server/storage/sql/openDatabase';
import { createSqlAccountRepository } from '../server/storage/sql/sqlAccountRepository';
import { makeTempDir, type TempDir } from './helpers/tempDir';

const PASSWORD = 'correct horse battery staple';

describe('parseRoles', () => {
  it('parses a comma-separated list, tolerating whitespace, canonicalising locales and dropping duplicates', () => {
    expect(parseRoles('translator:es,reviewer:fr,admin')).toEqual([
      { kind: 'translator', locale: 'es' },
      { kind: 'reviewer', locale: 'fr' },
      { kind: 'admin' },
    ]);
    expect(parseRoles('  translator : PT-br ,\treviewer:sr-latn , Admin ,translator:pt-BR')).toEqual([
      { kind: 'translator', locale: 'pt-BR' },
      { kind: 'reviewer', locale: 'sr-Latn' },
      { kind: 'admin' },
    ]);
  });

  it.each([
    ['translator:../x', /Role "translator:..\/x": "..\/x" is not a language tag/],
    ['translator:es/../x', /Role "translator:es\/..\/x"/],
    ['reviewer:', /Role "reviewer:": reviewer needs a language/],
    ['reviewer', /Role "reviewer": reviewer needs a language/],
    ['chief:es', /Role "chief:es": "chief" is not a role/],
    ['admin:es', /Role "admin:es": admin takes no language/],
    ['translator:es,,admin', /empty role/],
    ['translator:es,', /empty role/],
    ['', /at least one role/],
    ['  ', /at least one role/],
    ['translator:und', /Role "translator:und"/],
  ])('refuses %j with 400 naming the bad part', (input, message) => {
    expect(() => parseRoles(input)).toThrow(expect.objectContaining({ status: 400, code: 'invalid-role', message: expect.stringMatching(message) }));
  });

  it('refuses anything that is not a string', () => {
    expect(() => parseRoles(undefined)).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => parseRoles(['admin'])).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('formats roles so that parseRoles reads them back', () => {
    const roles = parseRoles('translator:es,reviewer:fr,admin');
    expect(formatRoles(roles)).toBe('translator:es, reviewer:fr, admin');
    expect(parseRoles(formatRoles(roles))).toEqual(roles);
  });

  it('checks role objects as well', () => {
    expect(normalizeRoles([{ kind: 'reviewer', locale: 'ES' }, { kind: 'admin' }])).toEqual([{ kind: 'reviewer', locale: 'es' }, { kind: 'admin' }]);
    for (const bad of [[], [{ kind: 'translator', locale: '../x' }], [{ kind: 'admin', locale: 'es' }], [{ kind: 'root' }], [null], 'admin']) {
      expect(() => normalizeRoles(bad)).toThrow(expect.objectContaining({ status: 400, code: 'invalid-role' }));
    }
  });
});

describe('user names', () => {
  it.each(['Ana', 'ana.b', 'x_y-z', 'José María', 'Ołeksandra', 'Ελένη', 'Анна', '李雷', 'محمد', 'अनिल', 'Jose\u0301', 'A1', '42', 'a'.repeat(40)])('accepts %j', (name) => {
    expect(checkUserName(name)).toBe(name);
  });

  it.each(['a', '', ' Ana', 'Ana ', 'a'.repeat(41), 'a/b', '../x', 'a<b>', 'Ana\nB', 'Ana\u0000', 'ana@example.org', 'tab\there', '\u0301ab', 'a😀'])('refuses %j with 400', (name) => {
    expect(() => checkUserName(name)).toThrow(expect.objectContaining({ status: 400, code: 'invalid-user-name' }));
    expect(isUserName(name)).toBe(false);
  });

  it('compares names case-insensitively after NFC', () => {
    expect(sameUserName('Ana', 'ANA')).toBe(true);
    expect(sameUserName('José', 'JOSE\u0301')).toBe(true);
    expect(sameUserName('Ana', 'Anna')).toBe(false);
  });
});

describe('passwords', () => {
  it('hashes with scrypt N=2^15, r=8, p=1, a 16-byte salt and a 64-byte key', async () => {
    const hash = await hashPassword(PASSWORD);
    const [scheme, n, r, p, salt, key, ...rest] = hash.split('$');
    expect({ scheme, n, r, p, rest }).toEqual({ scheme: 'scrypt', n: '32768', r: '8', p: '1', rest: [] });
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(key, 'base64')).toHaveLength(64);
    expect(hash).not.toContain(PASSWORD);
    expect(await hashPassword(PASSWORD)).not.toBe(hash); // a fresh salt each time
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword(PASSWORD);
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, hash)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', hash)).toBe(false);
  });

  it('compares passwords as NFC', async () => {
    const hash = await hashPassword('contraseña segura');
    expect(await verifyPassword('contrasen\u0303a segura', hash)).toBe(true);
  });

  it('answers false, never throws, for malformed or hostile hashes', async () => {
    const good = await hashPassword(PASSWORD);
    const [, , , , salt, key] = good.split('$');
    const bad = [
      '',
      'x',
      'scrypt',
      `bcrypt$32768$8$1$${salt}$${key}`,
      `scrypt$32768$8$1$${salt}`,
      `scrypt$32768$8$1$${salt}$${key}$extra`,
      `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 30}$8$1$${salt}$${key}`, // too costly
      `scrypt$32768$999$1$${salt}$${key}`,
      `scrypt$32768$8$0$${salt}$${key}`,
      `scrypt$32768$8$1$!!!$${key}`,
      `scrypt$32768$8$1$${salt}$`,
      `scrypt$32768$8$1$${salt}$${Buffer.alloc(4).toString('base64')}`,
      `scrypt$-1$8$1$${salt}$${key}`,
      `scrypt$3.2e4$8$1$${salt}$${key}`,
    ];
    for (const encoded of bad) await expect(verifyPassword(PASSWORD, encoded)).resolves.toBe(false);
    await expect(verifyPassword(undefined as unknown as string, good)).resolves.toBe(false);
    await expect(verifyPassword(PASSWORD, undefined as unknown as string)).resolves.toBe(false);
    await expect(verifyPassword('x'.repeat(5000), good)).resolves.toBe(false);
  });

  it('enforces 10 to 1024 characters with 400', async () => {
    expect(checkPasswordRules('0123456789')).toBe('0123456789');
    expect(checkPasswordRules('é'.repeat(1024))).toHaveLength(1024);
    expect(() => checkPasswordRules('012345678')).toThrow(expect.objectContaining({ status: 400, code: 'password-too-short' }));
    expect(() => checkPasswordRules('x'.repeat(1025))).toThrow(expect.objectContaining({ status: 400, code: 'password-too-long' }));
    expect(() => checkPasswordRules(undefined)).toThrow(expect.objectContaining({ status: 400 }));
    await expect(hashPassword('short')).rejects.toMatchObject({ status: 400 });
  });

  it('generates 20-character passwords from an unambiguous alphabet', () => {
    const passwords = new Set(Array.from({ length: 50 }, () => generatePassword()));
    expect(passwords.size).toBe(50);
    for (const p of passwords) expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
  });
});

describe('the accounts repository (SQLite)', () => {
  let temp: TempDir;
  let file: string;
  let db: SqlDatabase;
  let store: AccountRepository;
  beforeEach(() => {
    temp = makeTempDir('accounts');
    file = databaseFileOf(temp.dir);
    db = openDatabase(file);
    store = createSqlAccountRepository(db);
  });
  afterEach(() => {
    db.close();
    temp.cleanup();
  });

  const es = parseRoles('translator:es');
  /** A second connection to the same database: another process, or a restart. */
  const another = (): { repo: AccountRepository; close: () => void } => {
    const other = openDatabase(file);
    return { repo: createSqlAccountRepository(other), close: () => other.close() };
  };
  const rows = (table: string) => db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];

  it('starts empty', async () => {
    expect(await store.listUsers()).toEqual([]);
    expect(await store.countUsers()).toBe(0);
    expect(await store.getUser('ana')).toBeUndefined();
  });

  it('keeps hashes in the database, never passwords or tokens', async () => {
    const ana = await store.addUser('Ana', parseRoles('translator:es,reviewer:fr'), PASSWORD);
    expect(ana).toEqual({ name: 'Ana', roles: [{ kind: 'translator', locale: 'es' }, { kind: 'reviewer', locale: 'fr' }], createdAt: expect.any(String), hasPassword: true });
    expect(ana).not.toHaveProperty('passwordHash');
    expect(new Date(ana.createdAt).toISOString()).toBe(ana.createdAt);
    const { token } = await store.createToken('Ana', 'ci');

    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(file).toString('latin1');
    expect(bytes).not.toContain(PASSWORD);
    expect(bytes).not.toContain(token);
    expect(bytes).not.toContain(token.slice(3));
    expect(rows('users')[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(rows('api_tokens')[0]).toMatchObject({ user_key: 'ana', hash: expect.stringMatching(/^[0-9a-f]{64}$/), label: 'ci', revoked_at: null });

    expect(await store.getUser('ANA')).toEqual(ana);
    expect(await store.countUsers()).toBe(1);
    const other = another();
    expect(await other.repo.listUsers()).toEqual([ana]);
    other.close();
  });

  it('checks passwords through the repository and never hands out hashes', async () => {
    await store.addUser('Ana', es, PASSWORD);
    await store.addUser('Bo', es);
    expect(await store.checkPassword('ana', PASSWORD)).toMatchObject({ name: 'Ana' });
    expect(await store.checkPassword('Ana', 'wrong password!')).toBeUndefined();
    expect(await store.checkPassword('nobody', PASSWORD)).toBeUndefined();
    expect(await store.checkPassword('Bo', PASSWORD)).toBeUndefined();
    expect(await store.getUser('Bo')).toMatchObject({ hasPassword: false });
    expect(JSON.stringify(await store.listUsers())).not.toContain('scrypt');
  });

  it('refuses a duplicate name in any case or composition with 409, and bad names, roles or passwords with 400, writing nothing', async () => {
    await store.addUser('Ana', es, PASSWORD);
    await expect(store.addUser('ana', es, PASSWORD)).rejects.toMatchObject({ status: 409, code: 'user-exists' });
    await expect(store.addUser('ANA', es)).rejects.toMatchObject({ status: 409 });
    await store.addUser('José', es);
    await expect(store.addUser('JOSE\u0301', es)).rejects.toMatchObject({ status: 409 });
    const before = { users: rows('users'), roles: rows('user_roles') };
    await expect(store.addUser('../x', es)).rejects.toMatchObject({ status: 400, code: 'invalid-user-name' });
    await expect(store.addUser('Bo', [], PASSWORD)).rejects.toMatchObject({ status: 400, code: 'invalid-role' });
    await expect(store.addUser('Bo', [{ kind: 'translator', locale: '../x' }], PASSWORD)).rejects.toMatchObject({ status: 400 });
    await expect(store.addUser('Bo', es, 'short')).rejects.toMatchObject({ status: 400, code: 'password-too-short' });
    expect({ users: rows('users'), roles: rows('user_roles') }).toEqual(before);
    expect((await store.listUsers()).map((u) => u.name)).toEqual(['Ana', 'José']);
  });

  it('refuses a look-alike of an existing name (409) and a name that mixes scripts (400); names in one script of any kind are fine', async () => {
    await store.addUser('admin', parseRoles('admin'));
    await store.addUser('Ana', es);
    // A Cyrillic "а" alone would be caught as a mix; a whole look-alike in another script as confusable.
    await expect(store.addUser('\u0430dmin', es)).rejects.toMatchObject({ status: 400, code: 'invalid-user-name', message: expect.stringContaining('mixes the scripts') });
    await expect(store.addUser('\u0391\u039d\u0391', es)).rejects.toMatchObject({ status: 409, code: 'user-confusable', message: expect.stringContaining('"Ana"') });
    await expect(store.addUser('adrnin', es)).rejects.toMatchObject({ status: 409, code: 'user-confusable' });
    for (const name of ['Олег', 'Ολγα', '田中 太郎', 'José María']) await store.addUser(name, es);
    expect(await store.countUsers()).toBe(6);
  });

  it('lands every one of many concurrent addUser calls over two connections, and refuses concurrent duplicates but one', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `user-${i}`);
    const other = another();
    await Promise.all(names.map((name, i) => (i % 2 ? store : other.repo).addUser(name, es, i < 2 ? PASSWORD : undefined)));
    expect((await store.listUsers()).map((u) => u.name)).toEqual(names);
    expect(rows('users')).toHaveLength(8);

    const results = await Promise.allSettled(['Dup', 'dup', 'DUP'].map((name, i) => (i % 2 ? store : other.repo).addUser(name, es)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.status)).toEqual([409, 409]);
    expect(await store.countUsers()).toBe(9);
    other.close();
  });

  it('changes passwords and roles; 404 for unknown users', async () => {
    await store.addUser('Ana', es, PASSWORD);
    await store.setPassword('ana', 'a brand new passphrase');
    expect(await store.checkPassword('Ana', PASSWORD)).toBeUndefined();
    expect(await store.checkPassword('Ana', 'a brand new passphrase')).toBeDefined();
    await expect(store.setPassword('Ana', 'short')).rejects.toMatchObject({ status: 400 });
    expect(await store.setRoles('ANA', parseRoles('reviewer:es, admin'))).toMatchObject({ name: 'Ana', roles: [{ kind: 'reviewer', locale: 'es' }, { kind: 'admin' }] });
    await expect(store.setRoles('Ana', [])).rejects.toMatchObject({ status: 400 });
    expect((await store.getUser('Ana'))?.roles).toEqual([{ kind: 'reviewer', locale: 'es' }, { kind: 'admin' }]);
    await expect(store.setPassword('nobody', PASSWORD)).rejects.toMatchObject({ status: 404, code: 'user-not-found' });
    await expect(store.setRoles('nobody', es)).rejects.toMatchObject({ status: 404 });
    await expect(store.createToken('nobody')).rejects.toMatchObject({ status: 404 });
    await expect(store.listTokens('nobody')).rejects.toMatchObject({ status: 404 });
  });

  it('creates, verifies, lists and revokes tokens', async () => {
    await store.addUser('Ana', es, PASSWORD);
    await store.addUser('Bo', parseRoles('admin'));
    const one = await store.createToken('Ana', ' laptop ');
    const two = await store.createToken('ana');
    expect(one.token).toMatch(/^wb_[A-Za-z0-9_-]{43}$/);
    expect(one.token).not.toBe(two.token);
    expect(one.id).not.toBe(two.id);

    expect(await store.verifyToken(one.token)).toMatchObject({ name: 'Ana', roles: es });
    expect(await store.verifyToken(two.token)).toMatchObject({ name: 'Ana' });
    expect(await store.verifyToken(`${one.token.slice(0, -1)}${one.token.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(await store.verifyToken('wb_nope')).toBeUndefined();
    expect(await store.verifyToken('')).toBeUndefined();
    expect(await store.verifyToken(undefined as unknown as string)).toBeUndefined();

    const listed = await store.listTokens('Ana');
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(
      expect.arrayContaining([
        { id: one.id, user: 'Ana', createdAt: expect.any(String), label: 'laptop' },
        { id: two.id, user: 'Ana', createdAt: expect.any(String) },
      ]),
    );
    expect(JSON.stringify(listed)).not.toMatch(/hash|[0-9a-f]{64}/);

    const revoked = await store.revokeToken('ANA', one.id);
    expect(revoked).toMatchObject({ id: one.id, revokedAt: expect.any(String) });
    expect(await store.verifyToken(one.token)).toBeUndefined();
    expect(await store.verifyToken(two.token)).toMatchObject({ name: 'Ana' });
    expect(await store.revokeToken('Ana', one.id)).toEqual(revoked); // revoking twice changes nothing
    expect((await store.listTokens('Ana')).filter((t) => !t.revokedAt)).toHaveLength(1);
    // Another connection agrees at once.
    const other = another();
    expect(await other.repo.verifyToken(one.token)).toBeUndefined();
    other.close();
  });

  it("refuses to revoke another user's token with 404 and leaves it working", async () => {
    await store.addUser('Ana', es);
    await store.addUser('Bo', es);
    const anas = await store.createToken('Ana');
    await expect(store.revokeToken('Bo', anas.id)).rejects.toMatchObject({ status: 404, code: 'token-not-found' });
    await expect(store.revokeToken('Ana', 'nope')).rejects.toMatchObject({ status: 404 });
    await expect(store.revokeToken('nobody', anas.id)).rejects.toMatchObject({ status: 404, code: 'user-not-found' });
    expect(await store.verifyToken(anas.token)).toMatchObject({ name: 'Ana' });
  });

  it('sees at once what another process changed', async () => {
    await store.addUser('Ana', es);
    const other = another();
    await other.repo.addUser('From The CLI', parseRoles('admin'));
    await other.repo.setRoles('Ana', parseRoles('reviewer:es'));
    other.close();
    expect((await store.getUser('from the cli'))?.roles).toEqual([{ kind: 'admin' }]);
    expect((await store.getUser('Ana'))?.roles).toEqual([{ kind: 'reviewer', locale: 'es' }]);
  });

  // Users and token holders are kept between requests (a save looked them up again each time):
  // what another process changes is seen from the next turn of the event loop, what this one changes at once.
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('sees a token revoked and roles changed by another process once it has looked them up before', async () => {
    await store.addUser('Ana', es);
    const { id, token } = await store.createToken('Ana');
    expect(await store.verifyToken(token)).toMatchObject({ name: 'Ana', roles: [{ kind: 'translator', locale: 'es' }] });
    expect((await store.getUser('ana'))?.roles).toEqual([{ kind: 'translator', locale: 'es' }]);
    await nextTurn();
    const other = another();
    await other.repo.revokeToken('Ana', id);
    await other.repo.setRoles('Ana', parseRoles('reviewer:es'));
    other.close();
    await nextTurn();
    expect(await store.verifyToken(token)).toBeUndefined();
    expect((await store.getUser('ana'))?.roles).toEqual([{ kind: 'reviewer', locale: 'es' }]);
  });

  it('forgets what it kept as soon as it changes an account itself', async () => {
    await store.addUser('Ana', es);
    const { id, token } = await store.createToken('Ana');
    expect(await store.verifyToken(token)).toMatchObject({ name: 'Ana' });
    await store.setRoles('Ana', parseRoles('admin'));
    expect(await store.verifyToken(token)).toMatchObject({ roles: [{ kind: 'admin' }] });
    expect((await store.getUser('Ana'))?.roles).toEqual([{ kind: 'admin' }]);
    await store.revokeToken('Ana', id);
    expect(await store.verifyToken(token)).toBeUndefined();
    const again = await store.createToken('Ana');
    expect(await store.verifyToken(again.token)).toMatchObject({ name: 'Ana' });
  });

  it('hands out copies of what it keeps: a caller changing one changes nothing kept', async () => {
    await store.addUser('Ana', es);
    const { token } = await store.createToken('Ana');
    const first = await store.verifyToken(token);
    first?.roles.push({ kind: 'admin' });
    (first?.roles[0] as { locale: string }).locale = 'fr';
    expect((await store.verifyToken(token))?.roles).toEqual([{ kind: 'translator', locale: 'es' }]);
    const user = await store.getUser('Ana');
    user?.roles.splice(0);
    expect((await store.getUser('Ana'))?.roles).toEqual([{ kind: 'translator', locale: 'es' }]);
  });
});
