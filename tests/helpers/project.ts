import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HistoryEntry } from '../../server/storage/historyRepository';
import { closeProjectLock } from '../../server/storage/projectLock';
import { closeProjectDatabase } from '../../server/storage/sql/openDatabase';
import { projectRecords } from '../../server/storage/sql/projectRecords';
import { removeFolder } from './removeFolder';

/** The repository root, for fixtures and the shipped manifesto. */
export const REPO_ROOT = path.resolve(__dirname, '../..');

/** A small document used across the HTTP tests: a heading, three paragraphs, a list, code. */
export const SMALL_DOC = `---
title: A small text
authors: [A collective]
language: en
---

# First part

The first paragraph, with a [link](https://example.org/a).

The second paragraph.

## A subsection

- An item of a list.
- Another item.

\`\`\`
code stays as it is
\`\`\`

# Second part

The last paragraph.
`;

/** A throw-away project folder (source/ and locales/) for one test file. */
export interface TestProject {
  dir: string;
  sourceDir: string;
  localesDir: string;
  write(relative: string, content: string): void;
  read(relative: string): string;
  /** The history of a locale, as the project's database holds it. */
  history(document: string, lang: string): Promise<HistoryEntry[]>;
  cleanup(): void;
}

/** Makes a project in a temp folder with the given source documents (file name → content). */
export function makeProject(documents: Record<string, string> = { 'small.md': SMALL_DOC }): TestProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-test-'));
  const sourceDir = path.join(dir, 'source');
  const localesDir = path.join(dir, 'locales');
  mkdirSync(sourceDir);
  mkdirSync(localesDir);
  for (const [name, content] of Object.entries(documents)) writeFileSync(path.join(sourceDir, name), content);
  return {
    dir,
    sourceDir,
    localesDir,
    write: (relative, content) => {
      mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      writeFileSync(path.join(dir, relative), content);
    },
    read: (relative) => readFileSync(path.join(dir, relative), 'utf8'),
    history: (document, lang) => projectRecords(dir).history.list(document, lang),
    cleanup: () => {
      closeProjectDatabase(dir);
      closeProjectLock(dir);
      removeFolder(dir);
    },
  };
}

/** A project holding a copy of the shipped manifesto edition and its id sidecar. */
export function makeManifestoProject(): TestProject {
  const project = makeProject({});
  for (const name of ['communard-manifesto.md', 'communard-manifesto.segments.json']) {
    try {
      project.write(`source/${name}`, readFileSync(path.join(REPO_ROOT, 'source', name), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || name.endsWith('.md')) throw err;
    }
  }
  return project;
}
