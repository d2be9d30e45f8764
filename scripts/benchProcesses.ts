/* Timings as a user meets them: whole CLI processes, a cold server, many editors saving at once. */
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePorts } from './freePorts';

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/** A project with the manifesto, a Spanish locale and an admin with an API token, made through the CLI. */
function makeProject(root: string): { dir: string; token: string; cli: (args: string[], input?: string) => ReturnType<typeof spawnSync> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-bench-'));
  mkdirSync(path.join(dir, 'source'));
  copyFileSync(path.join(root, 'source', 'communard-manifesto.md'), path.join(dir, 'source', 'communard-manifesto.md'));
  const cli = (args: string[], input?: string) => spawnSync(process.execPath, [path.join(root, 'dist/scripts/workbench.js'), ...args, '--data', dir], { encoding: 'utf8', input });
  cli(['new-locale', 'es']);
  cli(['user', 'add', 'bench', '--role', 'admin', '--password-stdin'], 'a long enough password\n');
  const token = String(cli(['token', 'create', 'bench']).stdout).trim();
  return { dir, token, cli };
}

/** The built server on a project, timed from its spawn to its first /healthz answer; `stop` ends it (SIGTERM) and waits. */
export async function startServer(root: string, dir: string, port: number): Promise<{ pid: number; stop: () => Promise<void>; readyMs: number }> {
  const start = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'dist/server/server.js')], { env: { ...process.env, WORKBENCH_DATA: dir, PORT: String(port) }, stdio: 'ignore' });
  // A book's server may take seconds: up to 30 s.
  for (let i = 0; i < 3000; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) {
        return {
          pid: child.pid ?? 0,
          readyMs: performance.now() - start,
          stop: () =>
            new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

/**
 * One PUT of a JSON body over a kept-alive connection, with node:http rather than fetch: each
 * editor of a community is on a machine of their own, so the load generator sharing this
 * machine's two cores with the server should cost as little as it can (undici's fetch took
 * most of a core at 700 saves/s, and the server was left waiting on it).
 */
function put(agent: http.Agent, url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'PUT', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `clients` editors, each saving its own paragraphs one after another for `seconds`, through the API of a running server. */
export async function editors(base: string, token: string, clients: number, seconds: number): Promise<{ saves: number; latencies: number[]; errors: number; starts: number[] }> {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const segments = ((await (await fetch(`${base}/segments?limit=1000`)).json()) as { segments: { id: string; revision: number }[] }).segments;
  const revisions = new Map(segments.map((s) => [s.id, s.revision]));
  const latencies: number[] = [];
  // When each save counted in latencies was sent (performance.now()).
  const starts: number[] = [];
  let errors = 0;
  // A connection of its own for each editor, kept alive as a browser keeps it.
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const until = performance.now() + seconds * 1000;
  const client = async (k: number) => {
    const own = segments.filter((_, i) => i % clients === k);
    for (let n = 0; performance.now() < until; n++) {
      const segment = own[n % own.length];
      const started = performance.now();
      const res = await put(agent, new URL(`${base}/segments/${segment.id}`), headers, JSON.stringify({ target: `Traducción ${n} del editor ${k}`, baseRevision: revisions.get(segment.id) }));
      const body = JSON.parse(res.body) as { revision?: number };
      if (res.status === 200 && body.revision !== undefined) {
        revisions.set(segment.id, body.revision);
        latencies.push(performance.now() - started);
        starts.push(started);
      } else errors++;
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, (_, k) => client(k)));
  } finally {
    agent.destroy();
  }
  return { saves: latencies.length, latencies, errors, starts };
}

/** Whole-process CLI commands, the server's cold start, and 20 editors saving at once, on the manifesto. */
export async function benchProcesses(root: string): Promise<void> {
  const project = makeProject(root);
  try {
    const status: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      project.cli(['status', '--json']);
      status.push(performance.now() - start);
    }
    console.log(`${'manifesto: workbench status --json (whole process)'.padEnd(58)} ${median(status).toFixed(1).padStart(9)} ms (median of 7)`);
    const [port] = await freePorts(1);
    const server = await startServer(root, project.dir, port);
    try {
      console.log(`${'manifesto: server start to /healthz (already built)'.padEnd(58)} ${server.readyMs.toFixed(1).padStart(9)} ms`);
      const base = `http://127.0.0.1:${port}/api/documents/communard-manifesto/locales/es`;
      const first = performance.now();
      await (await fetch(`${base}/segments?limit=10`)).json();
      console.log(`${'manifesto: first GET …/segments?limit=10 after start'.padEnd(58)} ${(performance.now() - first).toFixed(1).padStart(9)} ms`);
      const seconds = 5;
      const run = await editors(base, project.token, 20, seconds);
      console.log(
        `manifesto: 20 editors saving through the API for ${seconds} s: ${(run.saves / seconds).toFixed(0)} saves/s, p50 ${percentile(run.latencies, 50).toFixed(1)} ms, p99 ${percentile(run.latencies, 99).toFixed(1)} ms, ${run.errors} refused`,
      );

      // The CLI beside the server: source updates (whole processes) while the 20 editors save.
      const original = readFileSync(path.join(project.dir, 'source', 'communard-manifesto.md'), 'utf8');
      const revised = path.join(project.dir, 'revised.md');
      const updates: number[] = [];
      let editing = true;
      const cliLoop = (async () => {
        for (let round = 1; editing; round++) {
          writeFileSync(revised, original.replace(/\n\n(Never before in History)/, `\n\nRevised ${round}. $1`));
          const started = performance.now();
          await new Promise<void>((resolve) => spawn(process.execPath, [path.join(root, 'dist/scripts/workbench.js'), 'update-source', 'communard-manifesto', revised, '--data', project.dir], { stdio: 'ignore' }).on('exit', () => resolve()));
          updates.push(performance.now() - started);
        }
      })();
      const beside = await editors(base, project.token, 20, seconds);
      editing = false;
      await cliLoop;
      console.log(
        `manifesto: the same, with CLI update-source in a loop beside: ${(beside.saves / seconds).toFixed(0)} saves/s, p50 ${percentile(beside.latencies, 50).toFixed(1)} ms, p99 ${percentile(beside.latencies, 99).toFixed(1)} ms, ${beside.errors} refused; ${updates.length} updates, median ${median(updates).toFixed(0)} ms each (whole process)`,
      );

      // A large XLIFF import (about 45 MB, 45,000 units) while the server is asked for /healthz every 20 ms.
      const units = 45_000;
      const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="communard-manifesto" source-language="en" target-language="es" datatype="plaintext"><body>'];
      for (let i = 0; i < units; i++) parts.push(`<trans-unit id="x${i}"><source>${'A long paragraph of another book. '.repeat(14)}</source><target>${'Un párrafo largo de otro libro. '.repeat(15)}</target></trans-unit>`);
      parts.push('</body></file></xliff>\n');
      const big = Buffer.from(parts.join('\n'));
      const lags: number[] = [];
      let importing = true;
      const probe = (async () => {
        while (importing) {
          const started = performance.now();
          await fetch(`http://127.0.0.1:${port}/healthz`);
          lags.push(performance.now() - started);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const started = performance.now();
      const imported = await fetch(`${base}/import?dryRun=1&name=big.xlf`, { method: 'POST', headers: { Authorization: `Bearer ${project.token}`, 'Content-Type': 'application/xml' }, body: big });
      const took = performance.now() - started;
      importing = false;
      await probe;
      console.log(
        `manifesto: import of a ${(big.byteLength / 1024 / 1024).toFixed(0)} MB XLIFF (${units} units, dry run): ${imported.status} in ${took.toFixed(0)} ms; /healthz meanwhile p50 ${percentile(lags, 50).toFixed(1)} ms, max ${Math.max(...lags).toFixed(1)} ms (${lags.length} asked)`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(project.dir, { recursive: true, force: true });
  }
}
