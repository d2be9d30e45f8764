/** An imported translation memory of a locale. */
export interface MemoryInfo {
  /** SHA-256 of the file. */
  id: string;
  name: string;
  who: string;
  at: string;
  /** Pairs usable for this locale (a source text and a translation into it). */
  pairs: number;
}

/** The translation memories (TMX files as sent) imported into each locale. */
export interface MemoryRepository {
  /** Keeps a memory; the same file twice is kept once (false the second time). */
  add(lang: string, info: MemoryInfo, content: Uint8Array): Promise<boolean>;
  /** A locale's memories, newest first. */
  list(lang: string): Promise<MemoryInfo[]>;
  /** The bytes of a memory, as sent. */
  content(lang: string, id: string): Promise<Uint8Array | undefined>;
}
