import path from 'node:path';
import { createFileLocaleStore } from './storage/localeStore';
import { createFileSourceRepository } from './storage/sourceRepository';
import { Workbench } from './workbench';

/** The workbench over a project folder holding `source/` and `locales/`. */
export function createWorkbench(dataDir: string): Workbench {
  return new Workbench(
    createFileSourceRepository({ dir: path.join(dataDir, 'source') }),
    createFileLocaleStore({ dir: path.join(dataDir, 'locales') }),
  );
}
