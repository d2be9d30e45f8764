// The npm `xliff` package ships no types: the two converters the workbench uses (see uiCatalogXliff.ts).
declare module 'xliff/jsToXliff12' {
  import type { XliffJs } from 'xliff/types';
  export default function jsToXliff12(js: XliffJs, options?: { indent?: string }): Promise<string>;
}
declare module 'xliff/xliff12ToJs' {
  import type { XliffJs } from 'xliff/types';
  export default function xliff12ToJs(xml: string): Promise<XliffJs>;
}
declare module 'xliff/types' {
  /** The package's model: namespaces (one per <file original>) of units by id. */
  export interface XliffJs {
    sourceLanguage?: string;
    targetLanguage?: string;
    resources: Record<string, Record<string, { source: unknown; target?: unknown; note?: unknown }>>;
  }
}
