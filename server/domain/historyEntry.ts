/** One change to a paragraph's translation or state: who, when, why, and the text before and after. */
export interface HistoryEntry {
  at: string;
  who: string;
  segment: string;
  /** Why: save, still-correct, approve, reject, revert, suggestion-accepted, import, drift, split, remove... */
  action: string;
  before?: { target?: string; state?: string };
  after?: {
    target?: string;
    state?: string;
    machine?: MachineUse;
    /** A send back: the reviewer's comment. */
    comment?: string;
    /** A new version saved over review comments: the comments it settled (taken off the paragraph, kept here). */
    settled?: string[];
    /** An alignment: the file the translation was taken from. */
    file?: string;
  };
  /** Source version involved, when the source changed. */
  version?: number;
  /** Whose suggestion this change took (credited too). */
  suggestedBy?: string;
}

/** A save of a machine's suggestion: whose it was, and how much a person changed it (post-editing effort). */
export interface MachineUse {
  /** The provider's id (see MachineTranslation). */
  provider: string;
  /** Characters inserted and deleted to make the saved text from the machine's (jsdiff's character diff). */
  edits: number;
  /** The machine text's length, for the share of it changed. */
  length: number;
}

