/* Prints timings of the workbench's hot paths on the manifesto and on a book 100 times its size. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { APP_ROOT } from '../server/appRoot';
import { benchProcesses, median } from './benchProcesses';
import { benchMemory } from './benchMemory';
import { benchScale, edited } from './benchScale';
import { po4aTranslate, po4aUpdate, po4aVerdict } from './po4aTimes';
import { createProject, createWorkbench } from '../server/application/createWorkbench';
import { segmentDocument } from '../server/domain/segmentDocument';
import { createFileLocaleStore } from '../server/storage/localeStore';
import { closeProjectDatabase } from '../server/storage/sql/openDatabase';

const manifesto = readFileSync(path.join(APP_ROOT, 'source', 'communard-manifesto.md'), 'utf8');

/** The manifesto repeated `copies` times, each copy's paragraphs made distinct by a prefix. */
function book(copies: number): string {
  const [, frontMatter, body] = /^(---\n[\s\S]*?\n---\n)([\s\S]*)$/.exec(manifesto) ?? ['', '', manifesto];
  const parts = [frontMatter];
  for (let copy = 1; copy <= copies; copy++) {
    parts.push(body.replace(/^(#+ |- )?(?=\S)/gm, (marker: string) => `${marker}[${copy}] `));
  }
  return parts.join('\n');
}

async function time<T>(label: string, run: () => Promise<T> | T, repeat = 1): Promise<T> {
  let result!: T;
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    result = await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  console.log(`${label.padEnd(58)} ${median.toFixed(1).padStart(9)} ms${repeat > 1 ? ` (median of ${repeat})` : ''}`);
  return result;
}

async function benchProject(name: string, content: string): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-bench-'));
  try {
    mkdirSync(path.join(dir, 'source'));
    writeFileSync(path.join(dir, 'source', 'book.md'), content);
    const doc = await time(`${name}: segment (${(content.length / 1e6).toFixed(1)} MB)`, () => segmentDocument('book', content, 'markdown'));
    console.log(`${name}: ${doc.segments.length} segments`);
    const workbench = createWorkbench(dir);
    await time(`${name}: first load (segment + write id sidecar)`, () => workbench.document('book'));
    await time(`${name}: start a locale (write the XLIFF file)`, () => workbench.startLocale('book', 'es'));
    const ids = doc.segments.filter((s) => s.translatable).map((s) => s.id);
    let n = 0;
    await time(`${name}: save one translation (read, check, atomic write)`, () => workbench.translations.saveTarget('book', 'es', ids[n], { target: `Traducción ${n++}`, baseRevision: 0 }), 21);
    await time(`${name}: list 100 segments of a locale`, () => workbench.listSegments('book', 'es', { offset: 0, limit: 100 }), 21);
    await time(`${name}: dashboard summary (all locales, progress)`, () => workbench.listDocuments(), 11);
    const fresh = createWorkbench(dir);
    await time(`${name}: cold start (read source + sidecar + XLIFF)`, () => fresh.listDocuments());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchDrift(copies: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-bench-'));
  try {
    const v1 = book(copies);
    mkdirSync(path.join(dir, 'source'));
    writeFileSync(path.join(dir, 'source', 'book.md'), v1);
    const workbench = createWorkbench(dir);
    await workbench.startLocale('book', 'es');
    // Fill every translation in one write (saving 20,000 paragraphs one by one is not what is measured).
    const locales = createFileLocaleStore({ dir: path.join(dir, 'locales') });
    await locales.update('book', 'es', (file) => {
      for (const unit of file.units) {
        unit.target = `ES ${unit.source}`;
        unit.state = 'translated';
      }
    });
    const v2 = edited(v1);
    const v2File = path.join(dir, 'book-v2.md');
    writeFileSync(v2File, v2);
    await workbench.listSegments('book', 'es', { limit: 1 });
    const start = performance.now();
    const report = await workbench.updateSource('book', Buffer.from(v2), { name: 'book.md', who: 'bench' });
    const updated = performance.now();
    const drift = await workbench.driftReport('book', 'es');
    const elapsed = performance.now() - start;
    const c = report.version.counts;
    console.log(`${copies}x manifesto: update the source (5% edited, 200 moved) + re-check the locale ${elapsed.toFixed(0).padStart(9)} ms`);
    console.log(`   of which: update the source (and bring es to the new version) ${(updated - start).toFixed(0)} ms, drift report ${(elapsed - (updated - start)).toFixed(0)} ms`);
    console.log(`   ${c.unchanged} unchanged, ${c.moved} moved, ${c.minor} minor, ${c.edited} edited, ${c.split} split, ${c.merged} merged, ${c.new} new, ${c.deleted} deleted; ${drift.locales[0].drifted.length} drifted in es`);
    console.log(`   po4a-updatepo on the same text (a fully translated PO): ${po4aVerdict(po4aUpdate(dir, v1, v2, ['es'], 1), elapsed, "the workbench's time")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A project with `content` as document "book" and a Spanish locale translated and approved throughout. */
async function translatedProject(content: string): Promise<{ dir: string; project: ReturnType<typeof createProject> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-bench-'));
  mkdirSync(path.join(dir, 'source'));
  writeFileSync(path.join(dir, 'source', 'book.md'), content);
  const project = createProject(dir);
  await project.workbench.startLocale('book', 'es');
  const locales = createFileLocaleStore({ dir: path.join(dir, 'locales') });
  await locales.update('book', 'es', (file) => {
    for (const unit of file.units) {
      unit.target = `ES ${unit.source}`;
      unit.state = 'signed-off';
      unit.approved = true;
    }
  });
  return { dir, project };
}

async function benchExport(): Promise<void> {
  const big = await translatedProject(book(100));
  try {
    const segments = (await big.project.workbench.document('book')).segments.length;
    await time(`100x manifesto (${segments} paragraphs): load the locale file (cold)`, () => big.project.workbench.locale('book', 'es'));
    await time('100x manifesto: HTML edition, first export (templates compiled)', () => big.project.editions.export('book', 'es', 'html', { who: 'bench' }));
    const timeAfterSaves = await afterSaves(big.project);
    const html = () => big.project.editions.export('book', 'es', 'html', { who: 'bench' });
    const ours = await timeAfterSaves('100x manifesto: HTML edition (load, check, build, render, record)', html, 7);
    console.log(`   ${((await html()).body.byteLength / 1e6).toFixed(1)} MB of HTML; the same export again, files unchanged (kept): ${(await timeOnly(html, 7)).toFixed(1)} ms`);
    await timeAfterSaves('100x manifesto: EPUB edition', () => big.project.editions.export('book', 'es', 'epub', { who: 'bench' }), 3);
    await timeAfterSaves('100x manifesto: XLIFF 2.0', () => big.project.editions.export('book', 'es', 'xliff2', { who: 'bench' }), 3);
    console.log(`   po4a-translate on the same text: ${po4aVerdict(po4aTranslate(big.dir, book(100)), ours, "the workbench's HTML export after a save")}`);
  } finally {
    rmSync(big.dir, { recursive: true, force: true });
  }
  const small = await translatedProject(manifesto);
  try {
    const timeAfterSaves = await afterSaves(small.project);
    const epub = () => small.project.editions.export('book', 'es', 'epub', { who: 'bench' });
    await timeAfterSaves('manifesto: EPUB edition (load, check, build, render, zip, record)', epub, 11);
    console.log(`   ${((await epub()).body.byteLength / 1e3).toFixed(0)} kB of EPUB`);
    await timeAfterSaves('manifesto: HTML edition', () => small.project.editions.export('book', 'es', 'html', { who: 'bench' }), 11);
  } finally {
    rmSync(small.dir, { recursive: true, force: true });
  }
}

/**
 * Times an export of `project`'s Spanish locale, each time after a save and an approval of one
 * more paragraph, as an editor's export follows the translators' and reviewers' work: an edition
 * of files that have not changed is the one kept in .cache/ (a millisecond), not what is measured.
 * Prints the median of `repeat` and gives it.
 */
async function afterSaves(project: ReturnType<typeof createProject>): Promise<(label: string, run: () => Promise<unknown>, repeat: number) => Promise<number>> {
  const { workbench } = project;
  const ids = (await workbench.document('book')).segments.filter((s) => s.translatable).map((s) => s.id);
  let saved = 0;
  const afterASave = async (run: () => Promise<unknown>): Promise<number> => {
    const id = ids[saved++ % ids.length];
    const unit = (await workbench.locale('book', 'es')).units.get(id);
    // Saved and approved again: an edition (not a draft) is made of an approved locale.
    const { segment } = await workbench.translations.saveTarget('book', 'es', id, { target: `ES ${saved} ${unit?.source ?? ''}`, baseRevision: unit?.revision ?? 0 }, 'bench');
    await workbench.translations.approve('book', 'es', id, { baseRevision: segment.revision }, 'bench', { allowSelfApproval: true });
    const start = performance.now();
    await run();
    return performance.now() - start;
  };
  return async (label, run, repeat) => {
    const samples: number[] = [];
    for (let i = 0; i < repeat; i++) samples.push(await afterASave(run));
    const ms = median(samples);
    console.log(`${label.padEnd(58)} ${ms.toFixed(1).padStart(9)} ms (median of ${repeat}, each after a save)`);
    return ms;
  };
}

async function timeOnly(run: () => Promise<unknown>, repeat: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(repeat / 2)];
}

/** A save on the manifesto as its history grows: it must not read the locale's whole history. */
async function benchHistory(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-bench-'));
  try {
    mkdirSync(path.join(dir, 'source'));
    writeFileSync(path.join(dir, 'source', 'book.md'), manifesto);
    const project = createProject(dir);
    const { workbench } = project;
    await workbench.startLocale('book', 'es');
    const ids = (await workbench.document('book')).segments.filter((s) => s.translatable).map((s) => s.id);
    let n = 0;
    const save = () => {
      const id = ids[n % ids.length];
      const revision = Math.floor(n / ids.length);
      return workbench.translations.saveTarget('book', 'es', id, { target: `Traducción ${n++}`, baseRevision: revision }, 'bench');
    };
    await time('manifesto: save one translation, history of 0 entries', save, 21);
    const at = new Date().toISOString();
    const entries = Array.from({ length: 12_000 }, (_, i) => ({ at, who: `translator ${i % 40}`, segment: ids[i % ids.length], action: 'save', before: { target: `t${i}` }, after: { target: `Texto ${i}`, state: 'translated' } }));
    await project.records.history.append('book', 'es', entries);
    const count = (await project.records.history.list('book', 'es')).length;
    await time(`manifesto: save one translation, history of ${count.toLocaleString('en')} entries`, save, 21);
    await time('manifesto: one paragraph\'s history', () => workbench.translations.history('book', 'es', ids[3]), 21);
    await time('manifesto: activity feed (200 newest, contributions)', () => workbench.activity.activity('book', 'es'), 21);
  } finally {
    closeProjectDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, load average ${load}`);
  // `npm run bench -- drift` runs one part; no argument runs them all.
  const only = process.argv[2];
  if (!only || only === 'store') {
    await benchProject('manifesto', manifesto);
    await benchProject('100x manifesto', book(100));
  }
  if (!only || only === 'drift') await benchDrift(100);
  if (!only || only === 'export') await benchExport();
  if (!only || only === 'history') await benchHistory();
  if (!only || only === 'processes') await benchProcesses(APP_ROOT);
  if (!only || only === 'scale') await benchScale(APP_ROOT, book(100), manifesto);
  if (!only || only === 'memory') await benchMemory(APP_ROOT, book(100), manifesto);
}

void main();
