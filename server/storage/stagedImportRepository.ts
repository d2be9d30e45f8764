/** An upload kept between its preview and its confirmation. */
export interface StagedImport {
  id: string;
  document: string;
  locale: string;
  name: string;
  who: string;
  at: string;
}

/** XLIFF uploads waiting for their preview to be confirmed. */
export interface StagedImportRepository {
  add(entry: StagedImport, content: Uint8Array): Promise<void>;
  get(id: string): Promise<{ entry: StagedImport; content: Uint8Array } | undefined>;
  remove(id: string): Promise<void>;
  /** Forgets every upload made before `before` (ISO 8601); how many. */
  sweep(before: string): Promise<number>;
}
