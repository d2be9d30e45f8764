/** Another wording proposed for a paragraph's translation. */
export interface Suggestion {
  id: string;
  segment: string;
  author: string;
  text: string;
  createdAt: string;
  status: 'open' | 'accepted' | 'declined';
  decidedBy?: string;
  decidedAt?: string;
}

/** One message of a conversation. */
export interface ThreadMessage {
  author: string;
  text: string;
  at: string;
}

/** A conversation about a paragraph: a question, its answers, and whether it is settled. */
export interface Thread {
  id: string;
  segment: string;
  createdAt: string;
  resolved: boolean;
  resolvedBy?: string;
  messages: ThreadMessage[];
}

/** Everything said about a locale's paragraphs, in the order it was said. */
export interface Discussion {
  suggestions: Suggestion[];
  threads: Thread[];
}
