/* eslint-disable @typescript-eslint/no-require-imports -- the parts a command may not use are loaded at their first use (see createProject) */
import type { Alignments } from './alignments';
import type { GitSettings, TranslationsInGit } from './translationsInGit';
import path from 'node:path';
import { APP_ROOT } from '../appRoot';
import type { Editions } from './editions';
import type { createI18n } from '../i18n';
import { Glossary, GlossaryMatchers } from './glossary';
import { HunspellSpellers } from '../formats/hunspellSpellers';
import type { MachineTranslation } from './machineTranslation';
import { Memories } from './memories';
import type { TranslationMemory } from './translationMemory';
import type { ProjectSearch } from './projectSearch';
import type { MemoryIndex } from '../storage/memoryIndex';
import { alignOptionsOf, type ProjectConfig, readProjectConfig } from './projectConfig';
import { createFileLocaleStore } from '../storage/localeStore';
import { sourceTextsFrom } from '../storage/sourceTexts';
import { createStampedSnapshots } from '../storage/stampedSnapshots';
import { gitLock, projectLock } from '../storage/projectLock';
import { createFileSourceRepository } from '../storage/sourceRepository';
import { checkpointOffThread } from '../storage/sql/checkpointOffThread';
import { readsOffThread } from '../storage/sql/readOffThread';
import { projectRecords, type ProjectRecords } from '../storage/sql/projectRecords';
import type { WorkbenchStores } from './syncLocale';
import { Workbench } from './workbench';
import type { XliffImports } from './xliffImports';
import { useBilingualReader } from '../domain/segmentDocument';
import { readXliffDocument } from '../formats/xliffDocument';
import { once } from '../once';

// Another tool's XLIFF file is a source format the domain reads through this adapter.
useBilingualReader(readXliffDocument);

/** The workbench over a project folder holding `source/` and `locales/`. */
export function createWorkbench(dataDir: string): Workbench {
  return new Workbench(createStores(dataDir, projectRecords(dataDir)));
}

/** Everything a project offers: translating and reviewing, publishing, and trading files with other tools. */
export interface Project {
  workbench: Workbench;
  editions: Editions;
  imports: XliffImports;
  memories: Memories;
  /** The translation memory: the project's translations and its imported memories, searched for a paragraph. */
  memory: TranslationMemory;
  /** Search across the project's sources and translations. */
  search: ProjectSearch;
  /** The glossaries, one per target language. */
  glossary: Glossary;
  /** Machine translation (nothing asked unless providers are configured). */
  machine: MachineTranslation;
  /** The project in git: batches of commits by author, sync with a remote, merges by paragraph. */
  git: TranslationsInGit;
  /** Existing translations brought into a language by alignment. */
  alignments: Alignments;
  records: ProjectRecords;
}

/**
 * The project in a folder (`source/`, `locales/`, `workbench.config.json`, `workbench.db`); `i18n` is
 * shared with the app when it has one; `check` runs the database's integrity check (at server start).
 */
export function createProject(
  dataDir: string,
  options: {
    i18n?: ReturnType<typeof createI18n>;
    check?: boolean;
    /** A server: files read from their snapshots are parsed ahead of their first change. */
    serving?: boolean;
    /** Saves are written behind them, their files this long after (see LocaleStore's writeBehindMs). */
    writeBehindMs?: number;
    /** Where the editions' templates and the interface's catalogs are read from (the workbench's own folder: APP_ROOT). */
    appRoot?: string;
  } = {},
): Project {
  const records = projectRecords(dataDir, { check: options.check });
  // A server's commits of saves do not checkpoint the database, and its long reads do not hold its
  // thread: a thread each does (see checkpointOffThread, readOffThread).
  if (options.serving) {
    checkpointOffThread(records.db);
    readsOffThread(records.db);
  }
  const stores = createStores(dataDir, records, options.serving ?? false, options.writeBehindMs);
  const workbench = new Workbench(stores);
  const config = readProjectConfig(dataDir);
  const memories = new Memories(records.memories);
  const glossary = new Glossary({
    repository: records.glossaries,
    matchers: stores.glossary,
    sourceLanguages: async () => Promise.all((await workbench.documentIds()).map(async (id) => (await workbench.document(id)).meta.language)),
  });
  // Opened on first use: a command that does not look anything up never touches it.
  let index: MemoryIndex | undefined;
  // Every part but the workbench is made, its modules loaded, at its first use: a CLI command is a
  // whole process, and loading them all took about a third of `workbench status` (git, alignment,
  // machine translation, the interface strings, on the 2-core machine of `npm run bench`).
  const editions = once((): Editions => {
    const { Editions: EditionsClass } = require('./editions') as typeof import('./editions');
    return new EditionsClass({
      workbench,
      locales: stores.locales,
      history: records.history,
      editions: records.editions,
      i18n: options.i18n ?? (require('../i18n') as typeof import('../i18n')).createI18n(options.appRoot ?? APP_ROOT),
      appRoot: options.appRoot ?? APP_ROOT,
      requireApproval: config.requireApproval ?? true,
      kept: createStampedSnapshots(path.join(dataDir, '.cache', 'editions')),
    });
  });
  const imports = once((): XliffImports => {
    const { XliffImports: XliffImportsClass } = require('./xliffImports') as typeof import('./xliffImports');
    return new XliffImportsClass({ workbench, stores, staged: records.staged, queueKey: path.resolve(dataDir), minorEdits: config.minorEdits });
  });
  const memory = once((): TranslationMemory => {
    const { TranslationMemory: TranslationMemoryClass } = require('./translationMemory') as typeof import('./translationMemory');
    const { createSqlMemoryIndex } = require('../storage/sql/sqlMemoryIndex') as typeof import('../storage/sql/sqlMemoryIndex');
    return new TranslationMemoryClass({ workbench, memories, index: () => (index ??= createSqlMemoryIndex(dataDir)) });
  });
  const search = once((): ProjectSearch => {
    const { ProjectSearch: ProjectSearchClass } = require('./projectSearch') as typeof import('./projectSearch');
    return new ProjectSearchClass({ workbench, listLocales: (document) => stores.locales.listLocales(document) });
  });
  const machine = once((): MachineTranslation => {
    const { MachineTranslation: MachineTranslationClass } = require('./machineTranslation') as typeof import('./machineTranslation');
    return new MachineTranslationClass({ workbench, config: config.machineTranslation });
  });
  const alignments = once((): Alignments => {
    const { Alignments: AlignmentsClass } = require('./alignments') as typeof import('./alignments');
    return new AlignmentsClass({
      workbench,
      stores,
      staged: records.alignments,
      terms: (lang, sourceLanguage) => alignmentAnchors(glossary, memories, lang, sourceLanguage),
    });
  });
  const git = once((): TranslationsInGit => {
    const { TranslationsInGit: TranslationsInGitClass, DEFAULT_GIT_SETTINGS } = require('./translationsInGit') as typeof import('./translationsInGit');
    return new TranslationsInGitClass({
      dir: dataDir,
      history: records.history,
      discussions: records.discussions,
      locales: stores.locales,
      lock: stores.lock,
      gitLock: gitLock(dataDir),
      settings: gitSettingsOf(config, DEFAULT_GIT_SETTINGS),
      cliScript: path.join(APP_ROOT, 'dist', 'scripts', 'workbench.js'),
    });
  });
  return {
    workbench,
    get editions() {
      return editions();
    },
    get imports() {
      return imports();
    },
    memories,
    get memory() {
      return memory();
    },
    get search() {
      return search();
    },
    glossary,
    get machine() {
      return machine();
    },
    get alignments() {
      return alignments();
    },
    get git() {
      return git();
    },
    records,
  };
}

/**
 * What an alignment into `lang` takes as anchors: the glossary's terms, and the short pairs (five
 * words at most) of the language's imported memories, whose translation a translated paragraph
 * holds when it translates the paragraph the pair's source is in.
 */
async function alignmentAnchors(glossary: Glossary, memories: Memories, lang: string, sourceLanguage: string): Promise<{ source: string; targets: string[] }[]> {
  const anchors = (await glossary.list(lang)).map((term) => ({ source: term.source, targets: term.translations }));
  for (const info of await memories.list(lang)) {
    for (const pair of await memories.pairs(lang, sourceLanguage, info)) {
      if (anchors.length >= 5000) return anchors;
      if (pair.source.trim().split(/\s+/).length <= 5 && pair.target.trim()) anchors.push({ source: pair.source, targets: [pair.target] });
    }
  }
  return anchors;
}

/** The git settings of a project's configuration, in milliseconds (see ProjectConfig.git). */
function gitSettingsOf(config: ProjectConfig, defaults: GitSettings): GitSettings {
  const git = config.git ?? {};
  return {
    commitDelayMs: (git.commitDelay ?? defaults.commitDelayMs / 1000) * 1000,
    maxDelayMs: (git.maxDelay ?? defaults.maxDelayMs / 1000) * 1000,
    syncEveryMs: git.syncEvery === undefined ? undefined : git.syncEvery * 1000,
  };
}

/** The spelling dictionaries, loaded once per process whatever the projects. */
const SPELLERS = new HunspellSpellers();

function createStores(dataDir: string, records: ProjectRecords, serving = false, writeBehindMs?: number): WorkbenchStores & { glossary: GlossaryMatchers } {
  const lock = projectLock(dataDir);
  const sources = createFileSourceRepository({
    dir: path.join(dataDir, 'source'),
    align: alignOptionsOf(readProjectConfig(dataDir)),
    lock,
    snapshots: createStampedSnapshots(path.join(dataDir, '.cache', 'sources')),
  });
  return {
    sources,
    locales: createFileLocaleStore({
      dir: path.join(dataDir, 'locales'),
      lock,
      snapshots: createStampedSnapshots(path.join(dataDir, '.cache', 'locales')),
      // The texts of a document's current version, for the locales' snapshots.
      sourceTexts: sourceTextsFrom(sources),
      journal: records.journal,
      serving,
      writeBehindMs,
    }),
    history: records.history,
    discussions: records.discussions,
    dismissals: records.dismissals,
    glossary: new GlossaryMatchers(records.glossaries),
    spelling: SPELLERS,
    lock,
    summaries: createStampedSnapshots(path.join(dataDir, '.cache', 'summaries')),
  };
}
