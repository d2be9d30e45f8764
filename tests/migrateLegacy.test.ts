import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../server/app';
import { createProject } from '../server/application/createWorkbench';
import { closeProjectDatabase, projectDatabase } from '../server/storage/sql/openDatabase';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { csrfOf } from './helpers/app';
import { REPO_ROOT } from './helpers/project';
import { removeFolder } from './helpers/removeFolder';

const FIXTURE = path.join(REPO_ROOT, 'tests/fixtures/legacy-project');
const PASSWORD = 'a long enough password';
/** The secret of the translator's "laptop" token in the fixture's accounts file. */
const LEGACY_TOKEN = 'wb_cHje3zhV90IZ2YsgmrZ72-ud15hXebhZ_cl9Q0sUU2E';
const MEMORY = 'afd6826b7badbb62db2e75113fa92983f2e9d8916423f18d8f6e1bf3665146f3';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-legacy-'));
  cpSync(FIXTURE, dir, { recursive: true });
  rmSync(path.join(dir, 'README.md'));
});
afterEach(() => {
  closeProjectDatabase(dir);
  removeFolder(dir);
});

const read = (relative: string) => readFileSync(path.join(dir, relative), 'utf8');
const json = (relative: string) => JSON.parse(read(relative));
const lines = (relative: string) => read(relative).trim().split('\n').map((l) => JSON.parse(l));

/** The legacy files, as the previous version left them. */
const LEGACY = [
  'accounts/accounts.json',
  'locales/es/small.history.jsonl',
  'locales/es/small.discussion.json',
  'locales/es/small.edition.json',
  'locales/fr/small.history.jsonl',
  'locales/fr/small.edition.json',
  `locales/fr/memory/${MEMORY}.tmx`,
  `locales/fr/memory/${MEMORY}.json`,
];

/** Everything the old files say, read before the migration. */
function legacyRecords() {
  return {
    accounts: json('accounts/accounts.json'),
    history: { es: lines('locales/es/small.history.jsonl'), fr: lines('locales/fr/small.history.jsonl') },
    discussion: json('locales/es/small.discussion.json'),
    editions: { es: json('locales/es/small.edition.json'), fr: json('locales/fr/small.edition.json') },
    memory: { info: json(`locales/fr/memory/${MEMORY}.json`), bytes: readFileSync(path.join(dir, `locales/fr/memory/${MEMORY}.tmx`)) },
  };
}

/** Counts of every table, to see that nothing was added twice (read without starting a migration). */
function tableCounts(): Record<string, number> {
  const db = projectDatabase(dir);
  const counts: Record<string, number> = {};
  for (const table of ['users', 'user_roles', 'api_tokens', 'history', 'suggestions', 'threads', 'thread_messages', 'edition_titles', 'edition_exports', 'memories', 'legacy_files']) {
    counts[table] = (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  }
  return counts;
}

describe('moving a project of the previous version into the database', () => {
  it('carries every account, token, history entry, suggestion, thread, edition record and memory, and keeps the old files as *.migrated', async () => {
    const legacy = legacyRecords();
    const legacyBytes = Object.fromEntries(LEGACY.map((f) => [f, readFileSync(path.join(dir, f))]));
    const project = createProject(dir);
    const { records } = project;
    expect(records.migrated).toMatchObject({ users: 4, tokens: 5, history: legacy.history.es.length + legacy.history.fr.length, suggestions: 3, threads: 2, editions: 2, exports: 3, memories: 1 });

    // Accounts: every user with roles, creation date and password hash; every token with its hash.
    const users = await records.accounts.listUsers();
    expect(users).toEqual(
      [...legacy.accounts.users]
        .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
        .map((u: { name: string; roles: unknown; createdAt: string; passwordHash?: string }) => ({ name: u.name, roles: u.roles, createdAt: u.createdAt, hasPassword: u.passwordHash !== undefined })),
    );
    const hashes = records.db.prepare('SELECT name, password_hash FROM users').all() as { name: string; password_hash: string | null }[];
    for (const user of legacy.accounts.users) expect(hashes.find((h) => h.name === user.name)?.password_hash ?? undefined).toBe(user.passwordHash);
    const tokenRows = records.db.prepare('SELECT id, hash FROM api_tokens').all() as { id: string; hash: string }[];
    expect(tokenRows.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      legacy.accounts.tokens.map((t: { id: string; hash: string }) => ({ id: t.id, hash: t.hash })).sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)),
    );
    for (const user of legacy.accounts.users) {
      const expected = legacy.accounts.tokens.filter((t: { user: string }) => t.user === user.name).map(({ hash: _hash, ...info }: { hash: string }) => info);
      expect(await records.accounts.listTokens(user.name)).toEqual(expect.arrayContaining(expected));
      expect(await records.accounts.listTokens(user.name)).toHaveLength(expected.length);
    }
    expect(await records.accounts.verifyToken(LEGACY_TOKEN)).toMatchObject({ name: 'Ana María' });
    expect(await records.accounts.checkPassword('ana maría', PASSWORD)).toMatchObject({ name: 'Ana María' });
    expect(await records.accounts.checkPassword('Cid', PASSWORD)).toBeUndefined();

    // History, in order, every field.
    expect(await records.history.list('small', 'es')).toEqual(legacy.history.es);
    expect(await records.history.list('small', 'fr')).toEqual(legacy.history.fr);
    // Suggestions and conversations, in order, every field.
    expect(await records.discussions.read('small', 'es')).toEqual(legacy.discussion);
    expect(await records.discussions.read('small', 'fr')).toEqual({ suggestions: [], threads: [] });
    // Edition records: the title and every export, newest first.
    expect(await records.editions.read('small', 'es')).toEqual(legacy.editions.es);
    expect(await records.editions.read('small', 'fr')).toEqual(legacy.editions.fr);
    // The memory, as sent, still answering.
    expect(await records.memories.list('fr')).toEqual([legacy.memory.info]);
    expect(Buffer.from((await records.memories.content('fr', MEMORY)) as Uint8Array).equals(legacy.memory.bytes)).toBe(true);
    expect((await project.memories.pairs('fr', 'en', legacy.memory.info)).filter((pair) => pair.source === 'The Commune was proclaimed on 28 March.')).toEqual([
      { source: 'The Commune was proclaimed on 28 March.', target: 'La Commune fut proclamée le 28 mars.', memory: 'upload' },
    ]);

    // The old files are kept, byte for byte, under a new name; nothing else changed.
    for (const file of LEGACY) {
      expect(existsSync(path.join(dir, file))).toBe(false);
      expect(readFileSync(path.join(dir, `${file}.migrated`)).equals(legacyBytes[file])).toBe(true);
    }
    // The translations stay in XLIFF: the workbench reads them as before.
    const segments = await project.workbench.listSegments('small', 'es');
    expect(segments.segments.map((s) => s.state)).toEqual(['approved', 'approved', 'approved', 'approved', 'translated', 'needs-work', 'translated', 'translated']);
  });

  it('a second start migrates nothing again', () => {
    createProject(dir);
    const counts = tableCounts();
    closeProjectDatabase(dir);
    expect(createProject(dir).records.migrated).toBeUndefined();
    expect(tableCounts()).toEqual(counts);
  });

  it('a start stopped after the commit but before the renames finishes them at the next start, adding nothing twice', () => {
    createProject(dir);
    const counts = tableCounts();
    closeProjectDatabase(dir);
    // What a kill right after the commit leaves: the records in the database, the old files under their old names.
    for (const file of LEGACY.slice(0, 4)) renameSync(path.join(dir, `${file}.migrated`), path.join(dir, file));
    const again = createProject(dir).records;
    expect(again.migrated).toMatchObject({ files: [], users: 0, history: 0 });
    expect(tableCounts()).toEqual(counts);
    for (const file of LEGACY) expect(existsSync(path.join(dir, `${file}.migrated`))).toBe(true);
  });

  it('a file that cannot be read stops the migration: nothing is written, every old file stays where it was', () => {
    writeFileSync(path.join(dir, 'locales/es/small.discussion.json'), '{"suggestions": [');
    expect(() => createProject(dir)).toThrow(expect.objectContaining({ code: 'legacy-file-invalid', message: expect.stringContaining('locales/es/small.discussion.json') }));
    closeProjectDatabase(dir);
    for (const file of LEGACY) expect(existsSync(path.join(dir, file))).toBe(true);
    const counts = tableCounts();
    expect(counts).toMatchObject({ users: 0, api_tokens: 0, history: 0, legacy_files: 0 });
  });

  it('a migration killed at any moment is finished by the next start, with no record lost or doubled', async () => {
    // A long history, so that the migration takes long enough to be killed in the middle.
    const history = read('locales/es/small.history.jsonl');
    const copies = 8_000;
    writeFileSync(path.join(dir, 'locales/es/small.history.jsonl'), history.repeat(copies));
    const expected = lines('locales/es/small.history.jsonl').length;
    const cli = path.join(REPO_ROOT, 'dist/scripts/workbench.js');
    const run = (killAfterMs?: number) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [cli, 'status', '--data', dir], { stdio: 'ignore' });
        const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        child.on('exit', (code) => {
          if (timer) clearTimeout(timer);
          resolve(code);
        });
      });
    for (const delay of [120, 300, 500, 800, 1100]) await run(delay);
    expect(await run()).toBe(0);
    const { history: repo } = projectRecords(dir);
    expect((await repo.list('small', 'es')).length).toBe(expected);
    expect((await repo.list('small', 'fr')).length).toBe(lines('locales/fr/small.history.jsonl.migrated').length);
    expect((await projectRecords(dir).accounts.listUsers()).length).toBe(4);
    for (const file of LEGACY) expect(existsSync(path.join(dir, file))).toBe(false);
  });
});

describe('sessions in the database', () => {
  it('a restart of the server keeps people signed in; logging out still ends the session', async () => {
    createProject(dir);
    const app = createApp({ dataDir: dir });
    const agent = request.agent(app);
    const login = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfOf(login.text), name: 'Ana María', password: PASSWORD, next: '/' }).expect(303);
    const cookies = (await agent.get('/').expect(200)).text;
    expect(cookies).toContain('Ana María');
    // A restart: the database is closed and opened again by a new app.
    closeProjectDatabase(dir);
    const restarted = createApp({ dataDir: dir });
    const again = request.agent(restarted);
    // The same browser: the cookies the first app set.
    const jar = (agent as unknown as { jar: { getCookies: (access: unknown) => { name: string; value: string }[] } }).jar;
    const cookieHeader = jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const page = await again.get('/').set('Cookie', cookieHeader).expect(200);
    expect(page.text).toContain('Ana María');
    await again.post('/logout').set('Cookie', cookieHeader).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    expect((await request(restarted).get('/').set('Cookie', cookieHeader).expect(200)).text).not.toContain('Ana María');
  });
});
