/** A paragraph of a locale changed by this process (a save, an approval, a send back, a revert...), as people with it open are told. */
export interface ParagraphChange {
  document: string;
  lang: string;
  id: string;
  revision: number;
  /** The workflow state the paragraph is in now (null: not a paragraph to translate). */
  state: string | null;
  target: string | null;
  who: string;
  /** The locale's progress after it (counts per state, words per state, total), as the API answers a save. */
  progress: Record<string, unknown>;
}

/**
 * Who wants to hear of changes to paragraphs, and telling them: the live pages of a server (see
 * liveEvents). A listener that throws is dropped, never the change.
 */
export class ParagraphChanges {
  private readonly listeners = new Set<(change: ParagraphChange) => void>();

  /** Starts telling `listener` of every change; the function returned stops it. */
  listen(listener: (change: ParagraphChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many are listening (nothing is made for a change nobody hears of). */
  get size(): number {
    return this.listeners.size;
  }

  publish(change: ParagraphChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }
}
