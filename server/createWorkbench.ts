import path from 'node:path';
import { APP_ROOT } from './appRoot';
import { Editions } from './editions';
import { createI18n } from './i18n';
import { Memories } from './memories';
import { alignOptionsOf, readProjectConfig } from './projectConfig';
import { createFileDiscussionStore } from './storage/discussionStore';
import { createFileEditionStore } from './storage/editionStore';
import { createFileHistoryStore } from './storage/historyStore';
import { createFileLocaleStore } from './storage/localeStore';
import { createFileSourceRepository } from './storage/sourceRepository';
import type { WorkbenchStores } from './syncLocale';
import { Workbench } from './workbench';
import { XliffImports } from './xliffImports';

/** The workbench over a project folder holding `source/` and `locales/`. */
export function createWorkbench(dataDir: string): Workbench {
  return new Workbench(createStores(dataDir));
}

/** Everything a project offers: translating and reviewing, publishing, and trading files with other tools. */
export interface Project {
  workbench: Workbench;
  editions: Editions;
  imports: XliffImports;
  memories: Memories;
}

/** The project in a folder (`source/`, `locales/`, `workbench.config.json`); `i18n` is shared with the app when it has one. */
export function createProject(dataDir: string, options: { i18n?: ReturnType<typeof createI18n> } = {}): Project {
  const stores = createStores(dataDir);
  const workbench = new Workbench(stores);
  const localesDir = path.join(dataDir, 'locales');
  const config = readProjectConfig(dataDir);
  return {
    workbench,
    editions: new Editions({
      workbench,
      locales: stores.locales,
      history: stores.history,
      editions: createFileEditionStore({ dir: localesDir }),
      i18n: options.i18n ?? createI18n(APP_ROOT),
      appRoot: APP_ROOT,
      requireApproval: config.requireApproval ?? true,
    }),
    imports: new XliffImports({ workbench, stores, stagingDir: path.join(dataDir, 'imports') }),
    memories: new Memories({ localesDir }),
  };
}

function createStores(dataDir: string): WorkbenchStores {
  return {
    sources: createFileSourceRepository({ dir: path.join(dataDir, 'source'), align: alignOptionsOf(readProjectConfig(dataDir)) }),
    locales: createFileLocaleStore({ dir: path.join(dataDir, 'locales') }),
    history: createFileHistoryStore({ dir: path.join(dataDir, 'locales') }),
    discussions: createFileDiscussionStore({ dir: path.join(dataDir, 'locales') }),
  };
}
