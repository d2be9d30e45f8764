import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject } from '../server/application/createWorkbench';
import { closeProjectLock } from '../server/storage/projectLock';
import { closeProjectDatabase } from '../server/storage/sql/openDatabase';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { makeManifestoProject, REPO_ROOT, type TestProject } from './helpers/project';
import { freePorts, startServer as startServerOn } from './helpers/server';
import { validateXliff12 } from './helpers/xmllint';

// Every writer of a project coordinates with the others across processes: two servers on one
// project (one started by mistake) serving 20 editors, while the CLI updates the source, imports
// XLIFF files, starts a locale, adds users and tokens, and processes on either side are killed
// (a CLI update-source once, the servers three times). Every acknowledged save must be in the file
// at the end, with its history entry, and the files strict-valid XLIFF.

const CLI = path.join(REPO_ROOT, 'dist/scripts/workbench.js');
const DOC = 'communard-manifesto';

jest.setTimeout(240_000);

let project: TestProject;
beforeEach(() => {
  project = makeManifestoProject();
});
afterEach(() => {
  closeProjectLock(project.dir);
  project.cleanup();
});

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI command to its end (or kills it with SIGKILL after `killAfterMs`). */
function cli(args: string[], options: { killAfterMs?: number; input?: string } = {}): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--data', project.dir]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (options.input !== undefined) child.stdin.end(options.input);
    const killer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    // A command that never ends is a failure of the test, not a hang of it.
    const limit = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      if (killer) clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const startServer = (port: number): Promise<ChildProcess> => startServerOn(project.dir, port, 15_000);

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The manifesto with some long paragraphs edited (" Revised in round n."), so that each update drifts them. */
function revisedSource(original: string, round: number): string {
  const blocks = original.split('\n\n');
  let edited = 0;
  return blocks
    .map((block, i) => {
      if (i < 20 || block.length < 300 || i % 7 !== round % 7 || edited >= 4) return block;
      edited++;
      return `${block} Revised in round ${round}.`;
    })
    .join('\n\n');
}

describe('the CLI and two servers on one project', () => {
  it('lose no acknowledged save, whatever runs beside them and whatever is killed', async () => {
    const setup = await cli(['new-locale', 'es']);
    expect(setup.code).toBe(0);
    const records = projectRecords(project.dir);
    await records.accounts.addUser('admin', [{ kind: 'admin' }]);
    const { token } = await records.accounts.createToken('admin');
    closeProjectDatabase(project.dir);

    const ports = await freePorts(2);
    // Both started, or neither left running (a server that did start would keep the test run alive).
    const started = await Promise.allSettled(ports.map(startServer));
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
      for (const result of started) if (result.status === 'fulfilled') result.value.kill('SIGKILL');
      throw failed.reason;
    }
    const servers = started.map((result) => (result as PromiseFulfilledResult<ChildProcess>).value);
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const api = (k: number) => `http://127.0.0.1:${ports[k % 2]}/api/documents/${DOC}/locales/es`;
    const listed = (await (await fetch(`${api(0)}/segments?limit=1000`)).json()) as { segments: { id: string; revision: number }[] };
    const segments = listed.segments.map((s) => s.id);
    // Paragraphs from 150 on are the CLI's imports'; the editors share the others.
    const editorsOwn = segments.slice(0, 150);
    const importsOwn = segments.slice(150, 170);

    /** Per paragraph, each text sent, in order, and whether the save was acknowledged. */
    const attempts = new Map<string, { target: string; acked: boolean }[]>();
    const revisions = new Map(listed.segments.map((s) => [s.id, s.revision]));
    let stop = false;
    let statuses: Record<string, number> = {};
    const editor = async (k: number) => {
      const own = editorsOwn.filter((_, i) => i % 20 === k);
      for (let n = 0; !stop; n++) {
        const id = own[n % own.length];
        const target = `Traducción ${n} del editor ${k}`;
        const sent = { target, acked: false };
        attempts.set(id, [...(attempts.get(id) ?? []), sent]);
        let status = 0;
        try {
          const res = await fetch(`${api(k)}/segments/${id}`, { method: 'PUT', headers, body: JSON.stringify({ target, baseRevision: revisions.get(id) }) });
          status = res.status;
          const body = (await res.json()) as { revision?: number; error?: { current?: { revision: number } } };
          if (res.status === 200 && body.revision !== undefined) {
            sent.acked = true;
            revisions.set(id, body.revision);
          } else if (res.status === 409 && body.error?.current) {
            revisions.set(id, body.error.current.revision); // drifted by a source update meanwhile: start from there
          }
        } catch {
          await sleep(50); // the server was killed: try again once it is back
        }
        statuses = { ...statuses, [status]: (statuses[status] ?? 0) + 1 };
      }
    };
    const editors = Array.from({ length: 20 }, (_, k) => editor(k));

    // Meanwhile, the CLI, command after command.
    const original = readFileSync(path.join(project.dir, 'source', `${DOC}.md`), 'utf8');
    const sourceFile = path.join(project.dir, 'revised.md');
    const results: { command: string; finished: Finished }[] = [];
    const run = async (command: string, args: string[], options?: { killAfterMs?: number; input?: string }) => {
      const finished = await cli(args, options);
      results.push({ command, finished });
      return finished;
    };
    const importAcked = new Map<string, string>();
    for (let round = 1; round <= 4; round++) {
      writeFileSync(sourceFile, revisedSource(original, round));
      // The second update is killed part way (a user's Ctrl-C, an OOM kill).
      await run('update-source', ['update-source', DOC, sourceFile], round === 2 ? { killAfterMs: 150 } : undefined);
      if (round === 1) await run('new-locale fr', ['new-locale', 'fr']);
      await run('user add', ['user', 'add', `translator${round}`, '--role', 'translator:es', '--password-stdin'], { input: 'a long enough password\n' });
      await run('token create', ['token', 'create', `translator${round}`]);
      // An XLIFF round trip: exported, translated elsewhere (the imports' paragraphs), imported.
      const exported = await run('export xliff', ['export', '--locale', 'es', '--format', 'xliff', '--draft', '--out', '-']);
      let xliff = exported.stdout;
      for (const id of importsOwn) {
        const text = `Importado en la ronda ${round} (${id})`;
        xliff = xliff.replace(new RegExp(`(<trans-unit id="${id}"[^>]*>[\\s\\S]*?</source>)(\\s*<target[^>]*>[\\s\\S]*?</target>)?`), `$1<target>${text}</target>`);
      }
      const importFile = path.join(project.dir, `import-${round}.xlf`);
      writeFileSync(importFile, xliff);
      const imported = await run('import-xliff', ['import-xliff', importFile, '--locale', 'es']);
      if (imported.code === 0) for (const id of importsOwn) importAcked.set(id, `Importado en la ronda ${round} (${id})`);
      if (round !== 2) {
        // A server is killed mid-save (three kills in all), and comes back.
        const k = round % 2;
        servers[k].kill('SIGKILL');
        await exited(servers[k]);
        servers[k] = await startServer(ports[k]);
      }
    }
    stop = true;
    await Promise.all(editors);
    for (const server of servers) {
      server.kill('SIGTERM');
      await exited(server);
    }

    // Every command ended by itself (none refused, none waiting for ever), except the one killed.
    for (const { command, finished } of results) {
      if (finished.signal === 'SIGKILL' && command === 'update-source') continue;
      expect({ command, code: finished.code, stderr: finished.code === 0 ? '' : finished.stderr }).toEqual({ command, code: 0, stderr: '' });
    }

    // Every acknowledged save is in the file: its text, or a later one sent after it (a save the
    // kill stopped before its answer may have landed), with a history entry for each.
    const after = createProject(project.dir);
    const units = new Map((await after.workbench.locale(DOC, 'es')).file.units.map((u) => [u.id, u]));
    const history = await after.records.history.list(DOC, 'es');
    const saved = new Set(history.filter((e) => e.action === 'save').map((e) => `${e.segment}\u0000${e.after?.target}`));
    let acked = 0;
    const lost: string[] = [];
    const unrecorded: string[] = [];
    for (const [id, sent] of attempts) {
      const last = sent.map((s) => s.acked).lastIndexOf(true);
      if (last < 0) continue;
      acked += sent.filter((s) => s.acked).length;
      const target = units.get(id)?.target;
      if (!sent.slice(last).some((s) => s.target === target)) lost.push(`${id}: acknowledged "${sent[last].target}", file has "${target}"`);
      for (const s of sent) if (s.acked && !saved.has(`${id}\u0000${s.target}`)) unrecorded.push(`${id}: "${s.target}"`);
    }
    for (const [id, target] of importAcked) if (units.get(id)?.target !== target) lost.push(`${id}: imported "${target}", file has "${units.get(id)?.target}"`);
    expect(lost).toEqual([]);
    expect(unrecorded).toEqual([]);
    expect(acked).toBeGreaterThan(100);
    expect(importAcked.size).toBe(importsOwn.length);
    // The source moved on (three or four updates, one of them killed) and the locale followed it.
    const document = await after.workbench.document(DOC);
    expect(document.version).toBeGreaterThanOrEqual(4);
    expect((await after.workbench.locale(DOC, 'es')).file.sourceVersion).toBe(document.version);
    expect(await after.records.accounts.verifyToken(results.filter((r) => r.command === 'token create').at(-1)!.finished.stdout.trim())).toMatchObject({ name: 'translator4' });
    for (const lang of ['es', 'fr']) {
      const { valid, output } = validateXliff12(path.join(project.dir, 'locales', lang, `${DOC}.xlf`));
      expect({ lang, valid, output: valid ? '' : output }).toEqual({ lang, valid: true, output: '' });
    }
    // Printed for the figures: saves acknowledged, lost, answers by status.
    console.log(`cross-process race: ${acked} saves acknowledged, ${lost.length} lost, ${results.length} CLI commands, answers ${JSON.stringify(statuses)}`);
    expect(Object.keys(statuses).filter((s) => Number(s) >= 500)).toEqual([]);
  });
});
