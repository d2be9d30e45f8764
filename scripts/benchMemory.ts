/*
 * The translation memory as translators meet it (`npm run bench -- memory`): a project with the
 * 100× manifesto fully translated into Spanish and the manifesto into three more languages, a
 * server started cold, then lookups of paragraphs through the API, one at a time and many at
 * once, and a lookup right after a save (the save indexed in it).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createProject } from '../server/application/createWorkbench';
import { createFileLocaleStore } from '../server/storage/localeStore';
import { closeProjectDatabase } from '../server/storage/sql/openDatabase';
import { percentile, startServer } from './benchProcesses';

const line = (label: string, value: string) => console.log(`${label.padEnd(64)} ${value}`);

function get(agent: http.Agent, url: string, token: string): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started }));
      })
      .on('error', reject);
  });
}

function put(agent: http.Agent, url: string, token: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(url, { method: 'PUT', agent, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const stats = (ms: number[]): string => `p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`;

export async function benchMemory(root: string, bookText: string, manifestoText: string): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-memory-'));
  const cli = (args: string[], input?: string) =>
    spawnSync(process.execPath, [path.join(root, 'dist/scripts/workbench.js'), ...args, '--data', dir], { input, encoding: 'utf8', stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    mkdirSync(path.join(dir, 'source'));
    writeFileSync(path.join(dir, 'source', 'book.md'), bookText);
    writeFileSync(path.join(dir, 'source', 'communard-manifesto.md'), manifestoText);
    cli(['user', 'add', 'bench', '--role', 'admin', '--password-stdin'], 'a long enough password\n');
    const token = String(cli(['token', 'create', 'bench']).stdout).trim();
    // Translated in one write each (what is measured is the memory, not 17,000 saves).
    const store = createFileLocaleStore({ dir: path.join(dir, 'locales') });
    const translate = async (doc: string, code: string) => {
      cli(['new-locale', code, '--doc', doc]);
      await store.update(doc, code, (file) => {
        for (const unit of file.units) {
          unit.target = `${code.toUpperCase()} ${unit.source}`;
          unit.state = 'translated';
        }
      });
      return (await store.read(doc, code))?.units.length ?? 0;
    };
    let units = await translate('book', 'es');
    for (const code of ['fr', 'de', 'it']) units += await translate('communard-manifesto', code);
    units += await translate('communard-manifesto', 'es');
    console.log(`memory: the 100x manifesto translated into es, the manifesto into es fr de it: ${units.toLocaleString('en')} translated paragraphs`);

    server = await startServer(root, dir, 4173);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    const base = (doc: string, code: string) => `http://127.0.0.1:4173/api/documents/${doc}/locales/${code}/segments`;
    const segments = JSON.parse((await get(agent, `${base('communard-manifesto', 'es')}?limit=1000`, token)).body).segments as { id: string; revision: number }[];
    const bookSegments = JSON.parse((await get(agent, `${base('book', 'es')}?limit=1000`, token)).body).segments as { id: string; revision: number }[];

    // The first lookup of a fresh project indexes every translation of the language (once: the index is kept in .cache/).
    const first = await get(agent, `${base('communard-manifesto', 'es')}/${segments[5].id}/memory`, token);
    line('memory: first lookup after start, the whole language indexed', `${first.ms.toFixed(0)} ms (status ${first.status})`);
    const firstFr = await get(agent, `${base('communard-manifesto', 'fr')}/${segments[5].id}/memory`, token);
    line('memory: first lookup in fr (its translations indexed)', `${firstFr.ms.toFixed(0)} ms`);

    // One translator at a time, paragraphs through the book and the manifesto.
    const one: number[] = [];
    let found = 0;
    for (let i = 0; i < 200; i++) {
      const doc = i % 2 === 0 ? 'communard-manifesto' : 'book';
      const list = doc === 'book' ? bookSegments : segments;
      const res = await get(agent, `${base(doc, 'es')}/${list[(i * 37) % list.length].id}/memory`, token);
      if (res.status !== 200) throw new Error(`lookup answered ${res.status}: ${res.body.slice(0, 200)}`);
      if ((JSON.parse(res.body).matches as unknown[]).length > 0) found++;
      one.push(res.ms);
    }
    line('memory: lookup of one paragraph (200 lookups, one at a time)', `${stats(one)}; ${found} of 200 with matches`);

    // Twenty translators looking up at once.
    const many: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, k) => {
        for (let i = 0; i < 20; i++) {
          const res = await get(agent, `${base('book', 'es')}/${bookSegments[(k * 131 + i * 17) % bookSegments.length].id}/memory`, token);
          many.push(res.ms);
        }
      }),
    );
    line('memory: lookup, 20 translators at once (400 lookups)', stats(many));

    // A save, then a lookup that finds it: the lookup indexes the save first.
    const after: number[] = [];
    for (let i = 0; i < 30; i++) {
      const segment = segments[(i * 7) % segments.length];
      const status = await put(agent, `${base('communard-manifesto', 'es')}/${segment.id}`, token, { target: `Traducción ${i}`, baseRevision: segment.revision });
      if (status !== 200) throw new Error(`save answered ${status}`);
      segment.revision++;
      const res = await get(agent, `${base('communard-manifesto', 'es')}/${segments[(i * 7 + 3) % segments.length].id}/memory`, token);
      after.push(res.ms);
    }
    line('memory: lookup right after a save (the save indexed in it)', stats(after));
    await server.stop();
    server = undefined;

    // Indexing a save by itself, in one process: a save to the book, then the memory brought up to date (the book's 16,000 paragraphs compared, the one changed written).
    const project = createProject(dir);
    await project.memory.catchUp('es', 'en');
    const indexing: number[] = [];
    for (let i = 0; i < 10; i++) {
      const segment = bookSegments[(i * 101) % bookSegments.length];
      await project.workbench.translations.saveTarget('book', 'es', segment.id, { target: `Otra traducción ${i}`, baseRevision: segment.revision }, 'bench');
      segment.revision++;
      // The memory's own work for the save: the locale's new version compared with the one before, the changed paragraph written.
      const context = await project.workbench.locale('book', 'es');
      const started = performance.now();
      await project.memory.sync(context);
      indexing.push(performance.now() - started);
    }
    line('memory: indexing one save of the book (in one process: the new version compared, the paragraph written)', stats(indexing));
    closeProjectDatabase(dir);
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
