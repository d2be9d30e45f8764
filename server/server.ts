import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_ROOT, createApp } from './app';
import type { SetupGate } from './auth/setupGate';
import type { Project } from './application/createWorkbench';
import { sweepTempFiles } from './storage/sweepTempFiles';
import { environmentLanguage } from './environmentLanguage';
import { wordsIn } from './i18n';
import { uiLanguages } from './uiLanguages';

/** Starts the workbench on $PORT (3000) over the project in $WORKBENCH_DATA (the repository itself). */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = path.resolve(process.env.WORKBENCH_DATA ?? APP_ROOT);
  // What it says as it starts, in the language of its environment (as the CLI; see environmentLanguage).
  const t = wordsIn(APP_ROOT, environmentLanguage(process.env, uiLanguages(APP_ROOT)));
  let app;
  try {
    app = createApp({ dataDir, checkDatabase: true, writeBehindMs: writeBehindMsOf(process.env.WORKBENCH_WRITE_BEHIND_MS) });
  } catch (err) {
    // A database that is not ours, damaged, or newer than this code: say so and start nothing.
    console.error(t('startup.cannotStart', { message: (err as Error).message }));
    process.exit(1);
  }
  const migrated = (app.locals.project as Project).records.migrated;
  if (migrated) {
    console.log(t('startup.migrated', { ...migrated }));
  }
  // Before the first request: what a write stopped part way left staged is settled with nothing else under way.
  const settled = await (app.locals.project as Project).workbench.settleStagedHistory();
  if (settled.confirmed + settled.dropped > 0) {
    console.log(t('startup.settled', { confirmed: settled.confirmed, dropped: settled.dropped }));
  }
  // Before answering: the documents and locales the first pages ask for, read from their snapshots
  // (a book's first page after a start read megabytes of each while its reader waited).
  // Never longer than its budget, whatever it waits on (another process holding the project's
  // lock): past it the server answers, and what is still loading goes on behind.
  const warming = (app.locals.project as Project).workbench.warm(STARTUP_WARM_MS).catch(() => undefined);
  await Promise.race([warming, new Promise((resolve) => setTimeout(resolve, STARTUP_WARM_MS).unref())]);
  let lastRequestAt = Date.now();
  /** Requests being answered (live streams aside): see warmWhenQuiet. */
  let underWay = 0;
  const server = app.listen(port, async () => {
    // The port bound: PORT=0 asks the system for a free one.
    const bound = (server.address() as AddressInfo).port;
    console.log(t('startup.listening', { url: `http://localhost:${bound}`, dir: dataDir }));
    const swept = await sweepTempFiles(dataDir);
    if (swept.length > 0) console.log(t('startup.swept', { count: swept.length, files: `${swept.slice(0, 5).join(', ')}${swept.length > 5 ? ', …' : ''}` }));
    // The translation memory's index caught up with the files once the server has a quiet moment
    // (no request for MEMORY_WARM_DELAY_MS, and none under way but live streams), off the way of
    // editors starting to save or of a long first page (a book's checks): a book's first indexing
    // is seconds of work. A lookup before that indexes what it needs itself.
    const warmWhenQuiet = setInterval(() => {
      if (Date.now() - lastRequestAt < MEMORY_WARM_DELAY_MS || underWay > 0) return;
      clearInterval(warmWhenQuiet);
      void (app.locals.project as Project).memory.warm().catch((err: unknown) => console.error(t('startup.memoryFailed', { message: err instanceof Error ? err.message : String(err) })));
    }, 500);
    warmWhenQuiet.unref();
    // A project kept in git: batches committed as saves pause (see TranslationsInGit).
    (app.locals.project as Project).git.start();
    const token = await (app.locals.setup as SetupGate).prepare();
    if (token) {
      console.log(t('startup.firstAccount', { url: `http://localhost:${bound}/setup/${token}` }));
    }
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    lastRequestAt = Date.now();
    // A live stream stays open as long as its page: it is not work under way.
    if (req.url?.split('?')[0].endsWith('/events')) return;
    underWay++;
    res.once('close', () => {
      underWay--;
      lastRequestAt = Date.now();
    });
  });
  server.on('error', (err) => {
    console.error(t('startup.cannotListen', { port, message: err.message }));
    process.exit(1);
  });
  // A clean stop keeps the snapshots of the files written last (see LocaleStore.keepSnapshots): the next start reads them instead of parsing.
  const stop = () => {
    // Live streams end now: the close waits for open connections.
    (app.locals.live as { closeAll(): void } | undefined)?.closeAll();
    server.close(() => {
      const project = app.locals.project as Project;
      // What is pending is committed (git), then the caches kept.
      void project.git
        .stop()
        .catch((err: unknown) => console.error(`git: ${(err as Error).message}`))
        .then(() => project.workbench.keepCaches())
        .catch(() => undefined)
        .finally(() => process.exit(0));
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** How long a start spends loading documents and locales before it answers (see Workbench.warm). */
const STARTUP_WARM_MS = 1000;

/** How long after the start the translation memory is brought up to date with the files. */
const MEMORY_WARM_DELAY_MS = 2000;

/**
 * How long after a save its locale file is written (see LocaleStore's writeBehindMs): 1000 ms,
 * or $WORKBENCH_WRITE_BEHIND_MS (a whole number of milliseconds, up to 10 minutes; the tests of
 * a server killed with saves held set it long).
 */
function writeBehindMsOf(value: string | undefined): number {
  if (value === undefined || value === '') return 1000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) throw new Error(`WORKBENCH_WRITE_BEHIND_MS must be a whole number of milliseconds from 0 to 600000, not ${JSON.stringify(value)}.`);
  return ms;
}

void main();
