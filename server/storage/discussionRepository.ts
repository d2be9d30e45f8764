import { randomBytes } from 'node:crypto';
import type { Discussion, Suggestion, Thread, ThreadMessage } from '../domain/discussion';

export type { Discussion, Suggestion, Thread, ThreadMessage };

/** Suggestions and conversations of each locale. */
export interface DiscussionRepository {
  read(document: string, lang: string): Promise<Discussion>;
  suggestion(document: string, lang: string, id: string): Promise<Suggestion | undefined>;
  addSuggestion(document: string, lang: string, suggestion: Suggestion): Promise<void>;
  /** Records the decision on an open suggestion; false when it was not open any more (decided meanwhile). */
  decideSuggestion(document: string, lang: string, id: string, decision: { status: 'accepted' | 'declined'; decidedBy: string; decidedAt: string }): Promise<boolean>;
  thread(document: string, lang: string, id: string): Promise<Thread | undefined>;
  addThread(document: string, lang: string, thread: Thread): Promise<void>;
  /** Adds a message to a thread and opens it again; the thread as it now is. */
  addMessage(document: string, lang: string, threadId: string, message: ThreadMessage): Promise<Thread>;
  /** Marks a thread settled; the thread as it now is. */
  resolveThread(document: string, lang: string, threadId: string, who: string): Promise<Thread>;
}

/** A new random id for a suggestion or a thread. */
export const newDiscussionId = (): string => randomBytes(8).toString('hex');
