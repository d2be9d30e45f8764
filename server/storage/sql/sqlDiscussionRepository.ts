import type { Discussion, DiscussionRepository, Suggestion, Thread, ThreadMessage } from '../discussionRepository';
import type { SqlDatabase } from './openDatabase';

interface SuggestionRow {
  id: string;
  segment: string;
  author: string;
  text: string;
  created_at: string;
  status: Suggestion['status'];
  decided_by: string | null;
  decided_at: string | null;
}

interface ThreadRow {
  id: string;
  segment: string;
  created_at: string;
  resolved: number;
  resolved_by: string | null;
}

function suggestionOf(row: SuggestionRow): Suggestion {
  const suggestion: Suggestion = { id: row.id, segment: row.segment, author: row.author, text: row.text, createdAt: row.created_at, status: row.status };
  if (row.decided_by !== null) suggestion.decidedBy = row.decided_by;
  if (row.decided_at !== null) suggestion.decidedAt = row.decided_at;
  return suggestion;
}

/** Suggestions, threads and their messages in the project database; `seq` keeps the order they were made in. */
export function createSqlDiscussionRepository(db: SqlDatabase): DiscussionRepository {
  const SUGGESTION = 'id, segment, author, text, created_at, status, decided_by, decided_at';
  const THREAD = 'id, segment, created_at, resolved, resolved_by';
  const q = {
    suggestions: db.prepare<[string, string], SuggestionRow>(`SELECT ${SUGGESTION} FROM suggestions WHERE document = ? AND locale = ? ORDER BY seq`),
    suggestion: db.prepare<[string, string, string], SuggestionRow>(`SELECT ${SUGGESTION} FROM suggestions WHERE document = ? AND locale = ? AND id = ?`),
    insertSuggestion: db.prepare(
      `INSERT INTO suggestions (document, locale, ${SUGGESTION}, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM suggestions WHERE document = ? AND locale = ?))`,
    ),
    decide: db.prepare("UPDATE suggestions SET status = ?, decided_by = ?, decided_at = ? WHERE document = ? AND locale = ? AND id = ? AND status = 'open'"),
    threads: db.prepare<[string, string], ThreadRow>(`SELECT ${THREAD} FROM threads WHERE document = ? AND locale = ? ORDER BY seq`),
    thread: db.prepare<[string, string, string], ThreadRow>(`SELECT ${THREAD} FROM threads WHERE document = ? AND locale = ? AND id = ?`),
    insertThread: db.prepare(
      `INSERT INTO threads (document, locale, ${THREAD}, seq) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM threads WHERE document = ? AND locale = ?))`,
    ),
    reopen: db.prepare('UPDATE threads SET resolved = 0 WHERE document = ? AND locale = ? AND id = ?'),
    resolve: db.prepare('UPDATE threads SET resolved = 1, resolved_by = ? WHERE document = ? AND locale = ? AND id = ?'),
    messages: db.prepare<[string, string], ThreadMessage & { thread: string }>('SELECT thread, author, text, at FROM thread_messages WHERE document = ? AND locale = ? ORDER BY thread, position'),
    threadMessages: db.prepare<[string, string, string], ThreadMessage>('SELECT author, text, at FROM thread_messages WHERE document = ? AND locale = ? AND thread = ? ORDER BY position'),
    insertMessage: db.prepare(
      'INSERT INTO thread_messages (document, locale, thread, position, author, text, at) VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM thread_messages WHERE document = ? AND locale = ? AND thread = ?), ?, ?, ?)',
    ),
  };

  const threadOf = (row: ThreadRow, messages: ThreadMessage[]): Thread => {
    const thread: Thread = { id: row.id, segment: row.segment, createdAt: row.created_at, resolved: row.resolved === 1, messages };
    if (row.resolved_by !== null) thread.resolvedBy = row.resolved_by;
    return thread;
  };
  const loadThread = (document: string, lang: string, id: string): Thread | undefined => {
    const row = q.thread.get(document, lang, id);
    return row && threadOf(row, q.threadMessages.all(document, lang, id).map((m) => ({ author: m.author, text: m.text, at: m.at })));
  };

  const addThread = db.transaction((document: string, lang: string, thread: Thread) => {
    q.insertThread.run(document, lang, thread.id, thread.segment, thread.createdAt, thread.resolved ? 1 : 0, thread.resolvedBy ?? null, document, lang);
    for (const m of thread.messages) q.insertMessage.run(document, lang, thread.id, document, lang, thread.id, m.author, m.text, m.at);
  });
  const addMessage = db.transaction((document: string, lang: string, id: string, m: ThreadMessage) => {
    q.insertMessage.run(document, lang, id, document, lang, id, m.author, m.text, m.at);
    q.reopen.run(document, lang, id);
  });

  return {
    async read(document, lang): Promise<Discussion> {
      const messages = new Map<string, ThreadMessage[]>();
      for (const m of q.messages.all(document, lang)) messages.set(m.thread, [...(messages.get(m.thread) ?? []), { author: m.author, text: m.text, at: m.at }]);
      return {
        suggestions: q.suggestions.all(document, lang).map(suggestionOf),
        threads: q.threads.all(document, lang).map((row) => threadOf(row, messages.get(row.id) ?? [])),
      };
    },
    async suggestion(document, lang, id) {
      const row = q.suggestion.get(document, lang, id);
      return row && suggestionOf(row);
    },
    async addSuggestion(document, lang, s) {
      q.insertSuggestion.run(document, lang, s.id, s.segment, s.author, s.text, s.createdAt, s.status, s.decidedBy ?? null, s.decidedAt ?? null, document, lang);
    },
    async decideSuggestion(document, lang, id, decision) {
      return q.decide.run(decision.status, decision.decidedBy, decision.decidedAt, document, lang, id).changes === 1;
    },
    async thread(document, lang, id) {
      return loadThread(document, lang, id);
    },
    async addThread(document, lang, thread) {
      addThread.immediate(document, lang, thread);
    },
    async addMessage(document, lang, threadId, message) {
      addMessage.immediate(document, lang, threadId, message);
      return loadThread(document, lang, threadId) as Thread;
    },
    async resolveThread(document, lang, threadId, who) {
      q.resolve.run(who, document, lang, threadId);
      return loadThread(document, lang, threadId) as Thread;
    },
  };
}
