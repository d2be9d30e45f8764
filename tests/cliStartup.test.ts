import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeProject, REPO_ROOT, type TestProject } from './helpers/project';

/**
 * Every CLI command is a whole process, timed from node's start: the packages only some commands
 * use are loaded at their first use (server/lazyPackages.ts), so `status` and `drift`, which read
 * what the last command kept, do not wait for them (about 100 ms of a 0.37 s `status`). So are the
 * project's parts they do not use (createProject): editions and the interface strings, git,
 * alignment, machine translation, search, the memory, the readers of other tools' XLIFF and TMX
 * (about 50 ms more).
 */
const CLI = path.join(REPO_ROOT, 'dist/scripts/workbench.js');
const LAZY = ['yaml', '@xmldom/xmldom', 'markdown-it', 'markdown-it-footnote', 'diff', 'unhomoglyph', 'xliff', 'i18next', 'i18next-http-middleware'];
/** The project's modules of the parts made at their first use (see createProject), as built in dist/. */
const LAZY_PARTS = ['application/editions', 'application/translationsInGit', 'application/alignments', 'application/machineTranslation', 'application/projectSearch', 'application/translationMemory', 'application/xliffImports', 'i18n', 'formats/readXliff', 'formats/tmx'];

let project: TestProject;
let recorder: string;
beforeEach(() => {
  project = makeProject();
  // Loaded before the CLI (node -r): prints the packages the process loaded, when it ends.
  recorder = path.join(project.dir, 'record-packages.js');
  writeFileSync(
    recorder,
    `process.on('exit', () => {
      const packages = new Set(Object.keys(require.cache).map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file)?.[1]).filter(Boolean));
      process.stderr.write('PACKAGES ' + JSON.stringify([...packages]) + '\\n');
      const own = Object.keys(require.cache).map((file) => /\\/dist\\/server\\/(.*)\\.js$/.exec(file)?.[1]).filter(Boolean);
      process.stderr.write('MODULES ' + JSON.stringify(own) + '\\n');
    });\n`,
  );
});
afterEach(() => project.cleanup());

function cli(args: string[], withRecorder = false): { status: number | null; stdout: string; packages: string[]; modules: string[] } {
  const run = spawnSync(process.execPath, [...(withRecorder ? ['-r', recorder] : []), CLI, ...args, '--data', project.dir], { encoding: 'utf8' });
  const line = /^PACKAGES (.*)$/m.exec(run.stderr)?.[1];
  const modules = /^MODULES (.*)$/m.exec(run.stderr)?.[1];
  return { status: run.status, stdout: run.stdout, packages: line ? (JSON.parse(line) as string[]) : [], modules: modules ? (JSON.parse(modules) as string[]) : [] };
}

describe('CLI start-up', () => {
  it('status and drift on kept snapshots load none of the packages other commands need, and still answer', () => {
    expect(cli(['new-locale', 'es']).status).toBe(0);
    // The first drift after the locale began reads the source versions from their files (yaml,
    // markdown-it) and keeps what it read in .cache/, as every first run after files changed.
    expect(cli(['drift', '--json']).status).toBe(0);
    for (const args of [['status', '--json'], ['drift', '--json']]) {
      const run = cli(args, true);
      expect(run.status).toBe(0);
      // The recorder saw the process: the packages every command needs are there.
      expect(run.packages).toEqual(expect.arrayContaining(['better-sqlite3']));
      expect(run.modules).toEqual(expect.arrayContaining(['application/workbench', 'storage/localeStore']));
      expect(run.packages.filter((name) => LAZY.includes(name))).toEqual([]);
      expect(run.modules.filter((name) => LAZY_PARTS.includes(name))).toEqual([]);
    }
    const status = JSON.parse(cli(['status', '--json']).stdout) as { documents: { id: string; locales: { code: string; untranslated: number }[] }[] };
    expect(status.documents[0]).toMatchObject({ id: 'small', locales: [{ code: 'es', untranslated: 8 }] });
  });

  it('a command that needs them loads them at their first use', () => {
    expect(cli(['new-locale', 'es']).status).toBe(0);
    // An edition in Markdown: front matter written with yaml, the XLIFF file read.
    const run = cli(['export', '--locale', 'es', '--format', 'md', '--draft', '--out', path.join(project.dir, 'edition.md')], true);
    expect(run.status).toBe(0);
    expect(run.packages).toEqual(expect.arrayContaining(['yaml', 'i18next']));
    expect(run.modules).toEqual(expect.arrayContaining(['application/editions', 'i18n']));
  });
});
