import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { isDocumentId } from '../../domain/documentId';
import { isLocaleTag } from '../../domain/localeTag';
import { userNameKey } from '../../accounts/userNames';
import { WorkbenchError } from '../../errors';
import type { Suggestion, Thread } from '../discussionRepository';
import type { ExportRecord } from '../editionRepository';
import type { HistoryEntry } from '../historyRepository';
import type { MemoryInfo } from '../memoryRepository';
import type { SqlDatabase } from '../sql/openDatabase';
import { historyInserter } from '../sql/sqlHistoryRepository';
import { readLegacyAccounts } from './readLegacyAccounts';

/** What a migration carried into the database, per kind of record. */
export interface LegacyMigration {
  files: string[];
  users: number;
  tokens: number;
  history: number;
  suggestions: number;
  threads: number;
  editions: number;
  exports: number;
  memories: number;
}

interface LegacyFile {
  /** Relative to the project folder, with forward slashes. */
  relative: string;
  kind: 'accounts' | 'history' | 'discussion' | 'edition' | 'memory';
  document?: string;
  locale?: string;
  /** The files renamed once the records are in (a memory has its TMX file and its description). */
  moves: string[];
}

const SUFFIXES = { '.history.jsonl': 'history', '.discussion.json': 'discussion', '.edition.json': 'edition' } as const;

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
}

/** The record files the workbench wrote before it had a database. */
function findLegacyFiles(dataDir: string): LegacyFile[] {
  const found: LegacyFile[] = [];
  if (listDir(path.join(dataDir, 'accounts')).includes('accounts.json')) found.push({ relative: 'accounts/accounts.json', kind: 'accounts', moves: ['accounts/accounts.json'] });
  for (const locale of listDir(path.join(dataDir, 'locales')).sort()) {
    const inFolder: LegacyFile[] = [];
    const names = listDir(path.join(dataDir, 'locales', locale));
    for (const name of names.sort()) {
      for (const [suffix, kind] of Object.entries(SUFFIXES)) {
        const document = name.slice(0, -suffix.length);
        if (name.endsWith(suffix) && isDocumentId(document)) {
          const relative = `locales/${locale}/${name}`;
          inFolder.push({ relative, kind, document, locale, moves: [relative] });
        }
      }
    }
    const memoryNames = listDir(path.join(dataDir, 'locales', locale, 'memory'));
    for (const name of memoryNames.sort()) {
      const match = /^([0-9a-f]{64})\.tmx$/.exec(name);
      if (!match || !memoryNames.includes(`${match[1]}.json`)) continue;
      const base = `locales/${locale}/memory/${match[1]}`;
      inFolder.push({ relative: `${base}.tmx`, kind: 'memory', locale, moves: [`${base}.tmx`, `${base}.json`] });
    }
    // The folder's name is checked only when it holds such files: the check asks ICU for its
    // language names (about 20 ms), which every command would otherwise wait for at each start.
    if (inFolder.length > 0 && isLocaleTag(locale)) found.push(...inFolder);
  }
  return found;
}

function parseJson<T>(content: string, relative: string): T {
  try {
    return JSON.parse(content) as T;
  } catch (cause) {
    throw new WorkbenchError(500, 'legacy-file-invalid', `${relative} is not valid JSON, so it cannot be moved into the database; fix or remove it, then start again. Nothing was changed.`, { cause });
  }
}

/** History lines as the old store read them: a torn last line (a crash mid-append) is skipped. */
function historyLines(content: string): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const line of content.split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as HistoryEntry);
    } catch {
      // Skipped, as the file store skipped it.
    }
  }
  return entries;
}

/**
 * Moves the records of a project made before the database into it: accounts, history, suggestions
 * and conversations, edition records, imported memories. Everything goes in one transaction, each
 * file's records counted in the database against what the file holds, and each file is noted (path,
 * SHA-256) in `legacy_files` in the same transaction. Only then are the files renamed `*.migrated`
 * (kept, not deleted). A start stopped before the commit finds nothing written and starts over; one
 * stopped after it finds the files noted and only renames them, so no record is lost or doubled.
 */
export function migrateLegacyFiles(db: SqlDatabase, dataDir: string): LegacyMigration | undefined {
  const files = findLegacyFiles(dataDir);
  if (files.length === 0) return undefined;
  const report: LegacyMigration = { files: [], users: 0, tokens: 0, history: 0, suggestions: 0, threads: 0, editions: 0, exports: 0, memories: 0 };
  const noted = db.prepare<[string], { sha256: string }>('SELECT sha256 FROM legacy_files WHERE path = ?');
  const note = db.prepare('INSERT INTO legacy_files (path, sha256, records, migrated_at) VALUES (?, ?, ?, ?)');
  const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;

  const importAll = db.transaction(() => {
    for (const file of files) {
      const bytes = readFileSync(path.join(dataDir, file.relative));
      const sha = createHash('sha256').update(bytes).digest('hex');
      const already = noted.get(file.relative);
      if (already) {
        if (already.sha256 !== sha) {
          throw new WorkbenchError(
            500,
            'legacy-file-changed',
            `${file.relative} was moved into the database before, but has changed since. It was left as it is: rename it to ${file.relative}.migrated if its records are in the database, or remove the earlier record of it.`,
          );
        }
        continue;
      }
      const records = importFile(db, dataDir, file, bytes, report, count);
      note.run(file.relative, sha, records, new Date().toISOString());
      report.files.push(file.relative);
    }
  });
  importAll.immediate();

  for (const file of files) {
    for (const relative of file.moves) renameSync(path.join(dataDir, relative), path.join(dataDir, `${relative}.migrated`));
    syncDir(path.dirname(path.join(dataDir, file.relative)));
  }
  return report;
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

type Count = (sql: string, ...params: unknown[]) => number;

/** Puts one file's records in the database and checks that they all arrived; returns how many. */
function importFile(db: SqlDatabase, dataDir: string, file: LegacyFile, bytes: Buffer, report: LegacyMigration, count: Count): number {
  const content = bytes.toString('utf8');
  const mismatch = (what: string, expected: number, found: number) =>
    new WorkbenchError(500, 'legacy-migration-mismatch', `${file.relative}: ${expected} ${what} in the file, ${found} in the database. Nothing was changed.`);
  const { document = '', locale = '' } = file;

  if (file.kind === 'accounts') {
    const accounts = readLegacyAccounts(content, file.relative);
    const insertUser = db.prepare('INSERT INTO users (name_key, name, password_hash, created_at) VALUES (?, ?, ?, ?)');
    const insertRole = db.prepare('INSERT INTO user_roles (user_key, position, kind, locale) VALUES (?, ?, ?, ?)');
    const insertToken = db.prepare('INSERT INTO api_tokens (id, user_key, hash, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)');
    const users = count('SELECT COUNT(*) AS n FROM users');
    const tokens = count('SELECT COUNT(*) AS n FROM api_tokens');
    for (const user of accounts.users) {
      const key = userNameKey(user.name);
      if (count('SELECT COUNT(*) AS n FROM users WHERE name_key = ?', key) > 0) {
        throw new WorkbenchError(500, 'legacy-user-exists', `${file.relative}: the database already has a user "${user.name}". Nothing was changed.`);
      }
      insertUser.run(key, user.name, user.passwordHash ?? null, user.createdAt);
      user.roles.forEach((role, i) => insertRole.run(key, i, role.kind, role.kind === 'admin' ? '' : role.locale));
    }
    for (const t of accounts.tokens) insertToken.run(t.id, userNameKey(t.user), t.hash, t.label ?? null, t.createdAt, t.revokedAt ?? null);
    const addedUsers = count('SELECT COUNT(*) AS n FROM users') - users;
    const addedTokens = count('SELECT COUNT(*) AS n FROM api_tokens') - tokens;
    if (addedUsers !== accounts.users.length) throw mismatch('users', accounts.users.length, addedUsers);
    if (addedTokens !== accounts.tokens.length) throw mismatch('tokens', accounts.tokens.length, addedTokens);
    report.users += addedUsers;
    report.tokens += addedTokens;
    return addedUsers + addedTokens;
  }

  if (file.kind === 'history') {
    const entries = historyLines(content);
    const before = count('SELECT COUNT(*) AS n FROM history WHERE document = ? AND locale = ?', document, locale);
    historyInserter(db)(
      document,
      locale,
      entries.map((e) => ({ ...e, segment: String(e.segment), at: String(e.at), who: String(e.who), action: String(e.action) })),
    );
    const added = count('SELECT COUNT(*) AS n FROM history WHERE document = ? AND locale = ?', document, locale) - before;
    if (added !== entries.length) throw mismatch('history entries', entries.length, added);
    report.history += added;
    return added;
  }

  if (file.kind === 'discussion') {
    const data = parseJson<{ suggestions?: Suggestion[]; threads?: Thread[] }>(content, file.relative);
    const suggestions = Array.isArray(data.suggestions) ? data.suggestions : [];
    const threads = Array.isArray(data.threads) ? data.threads : [];
    const insertSuggestion = db.prepare(
      'INSERT INTO suggestions (document, locale, id, segment, author, text, created_at, status, decided_by, decided_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertThread = db.prepare('INSERT INTO threads (document, locale, id, segment, created_at, resolved, resolved_by, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const insertMessage = db.prepare('INSERT INTO thread_messages (document, locale, thread, position, author, text, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const base = count('SELECT COALESCE(MAX(seq), 0) AS n FROM suggestions WHERE document = ? AND locale = ?', document, locale);
    suggestions.forEach((s, i) => insertSuggestion.run(document, locale, s.id, s.segment, s.author, s.text, s.createdAt, s.status, s.decidedBy ?? null, s.decidedAt ?? null, base + i + 1));
    const threadBase = count('SELECT COALESCE(MAX(seq), 0) AS n FROM threads WHERE document = ? AND locale = ?', document, locale);
    let messages = 0;
    threads.forEach((t, i) => {
      insertThread.run(document, locale, t.id, t.segment, t.createdAt, t.resolved ? 1 : 0, t.resolvedBy ?? null, threadBase + i + 1);
      (t.messages ?? []).forEach((m, position) => insertMessage.run(document, locale, t.id, position, m.author, m.text, m.at));
      messages += (t.messages ?? []).length;
    });
    const inDb = count('SELECT COUNT(*) AS n FROM suggestions WHERE document = ? AND locale = ? AND seq > ?', document, locale, base);
    if (inDb !== suggestions.length) throw mismatch('suggestions', suggestions.length, inDb);
    const threadsInDb = count('SELECT COUNT(*) AS n FROM threads WHERE document = ? AND locale = ? AND seq > ?', document, locale, threadBase);
    if (threadsInDb !== threads.length) throw mismatch('conversations', threads.length, threadsInDb);
    report.suggestions += suggestions.length;
    report.threads += threads.length;
    return suggestions.length + threads.length + messages;
  }

  if (file.kind === 'edition') {
    const data = parseJson<{ title?: unknown; exports?: ExportRecord[] }>(content, file.relative);
    const exports = Array.isArray(data.exports) ? data.exports : [];
    let records = 0;
    if (typeof data.title === 'string') {
      db.prepare('DELETE FROM edition_titles WHERE document = ? AND locale = ?').run(document, locale);
      db.prepare('INSERT INTO edition_titles (document, locale, title) VALUES (?, ?, ?)').run(document, locale, data.title);
      records += 1;
    }
    const before = count('SELECT COUNT(*) AS n FROM edition_exports WHERE document = ? AND locale = ?', document, locale);
    const insert = db.prepare('INSERT INTO edition_exports (document, locale, at, who, format, source_version, draft, percent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    // The file lists the newest first; rows are numbered oldest first.
    for (const r of [...exports].reverse()) insert.run(document, locale, r.at, r.who, r.format, r.sourceVersion, r.draft ? 1 : 0, r.percent);
    const added = count('SELECT COUNT(*) AS n FROM edition_exports WHERE document = ? AND locale = ?', document, locale) - before;
    if (added !== exports.length) throw mismatch('exports', exports.length, added);
    report.editions += 1;
    report.exports += added;
    return records + added;
  }

  // A memory: the TMX file as sent, with the description written beside it.
  const infoFile = file.relative.replace(/\.tmx$/, '.json');
  const info = parseJson<MemoryInfo>(readFileSync(path.join(dataDir, infoFile), 'utf8'), infoFile);
  const id = path.basename(file.relative, '.tmx');
  if (count('SELECT COUNT(*) AS n FROM memories WHERE locale = ? AND id = ?', locale, id) === 0) {
    db.prepare('INSERT INTO memories (locale, id, name, who, at, pairs, content) VALUES (?, ?, ?, ?, ?, ?, ?)').run(locale, id, String(info.name), String(info.who), String(info.at), Number(info.pairs) || 0, bytes);
  }
  report.memories += 1;
  return 1;
}
