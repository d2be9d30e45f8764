import path from 'node:path';
import { alignOptionsOf, readProjectConfig } from './projectConfig';
import { createFileDiscussionStore } from './storage/discussionStore';
import { createFileHistoryStore } from './storage/historyStore';
import { createFileLocaleStore } from './storage/localeStore';
import { createFileSourceRepository } from './storage/sourceRepository';
import { Workbench } from './workbench';

/** The workbench over a project folder holding `source/` and `locales/`. */
export function createWorkbench(dataDir: string): Workbench {
  return new Workbench({
    sources: createFileSourceRepository({ dir: path.join(dataDir, 'source'), align: alignOptionsOf(readProjectConfig(dataDir)) }),
    locales: createFileLocaleStore({ dir: path.join(dataDir, 'locales') }),
    history: createFileHistoryStore({ dir: path.join(dataDir, 'locales') }),
    discussions: createFileDiscussionStore({ dir: path.join(dataDir, 'locales') }),
  });
}
