/* Prints timings of the workbench's hot paths on the manifesto and on a book 100 times its size. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { APP_ROOT } from '../server/appRoot';
import { createWorkbench } from '../server/createWorkbench';
import { segmentDocument } from '../server/domain/segmentDocument';

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
    await time(`${name}: save one translation (read, check, atomic write)`, () => workbench.saveTarget('book', 'es', ids[n], { target: `Traducción ${n++}`, baseRevision: 0 }), 21);
    await time(`${name}: list 100 segments of a locale`, () => workbench.listSegments('book', 'es', { offset: 0, limit: 100 }), 21);
    await time(`${name}: dashboard summary (all locales, progress)`, () => workbench.listDocuments(), 11);
    const fresh = createWorkbench(dir);
    await time(`${name}: cold start (read source + sidecar + XLIFF)`, () => fresh.listDocuments());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
  await benchProject('manifesto', manifesto);
  await benchProject('100x manifesto', book(100));
}

void main();
