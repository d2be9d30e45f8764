#!/usr/bin/env node
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { APP_ROOT } from '../server/appRoot';
import { createWorkbench } from '../server/createWorkbench';
import { isWorkbenchError, WorkbenchError } from '../server/errors';
import { documentJson } from '../server/routes/apiRoutes';
import type { Workbench } from '../server/workbench';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage: workbench <command> [options]

Commands:
  status [--json]                          documents × locales with paragraph counts
  new-locale <code> [--doc <id>]           start translating a document into a language (BCP 47 tag)
  import <file> [--id <doc>]               add a document (Markdown or .txt) as version 1
  update-source <doc> <file> [--force]     record a new version of a document's source; translations
                                           follow it (moved/minor keep, edited drift, deleted archived)
  drift [--doc <id>] [--locale <code>] [--json]
                                           drifted, untranslated and removed paragraphs per locale;
                                           exits 1 when anything is drifted (a publishing gate)

Options:
  --by <name>    who made the change (default: the system user)
  --data <dir>   the project folder (default: $WORKBENCH_DATA, else the repository)
  --help         this text
`;

class UsageError extends Error {}

/** Runs the CLI; returns the exit code (0 ok, 1 refused or failed, 2 usage). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        doc: { type: 'string' },
        id: { type: 'string' },
        locale: { type: 'string' },
        force: { type: 'boolean' },
        by: { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      io.out(USAGE);
      return command || values.help ? 0 : 2;
    }
    const workbench = createWorkbench(path.resolve(values.data ?? io.env.WORKBENCH_DATA ?? APP_ROOT));
    switch (command) {
      case 'status':
        if (rest.length) throw new UsageError('status takes no arguments.');
        return await status(workbench, Boolean(values.json), io);
      case 'new-locale':
        if (rest.length !== 1) throw new UsageError('new-locale takes one language tag, e.g. "workbench new-locale es".');
        return await newLocale(workbench, rest[0], values.doc, io);
      case 'import':
        if (rest.length !== 1) throw new UsageError('import takes one file: "workbench import text.md --id my-text".');
        return await importCommand(workbench, rest[0], values.id, who(values.by, io), io);
      case 'update-source':
        if (rest.length !== 2) throw new UsageError('update-source takes a document id and a file: "workbench update-source communard-manifesto new.md".');
        return await updateCommand(workbench, rest[0], rest[1], { force: Boolean(values.force), who: who(values.by, io) }, io);
      case 'drift':
        if (rest.length) throw new UsageError('drift takes no arguments: use --doc and --locale.');
        return await driftCommand(workbench, values.doc, values.locale, Boolean(values.json), io);
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (isWorkbenchError(err)) {
      io.err(`workbench: ${err.message}\n`);
      return 1;
    }
    io.err(`workbench: ${(err as Error).message}\n`);
    return 1;
  }
}

async function status(workbench: Workbench, json: boolean, io: CliIo): Promise<number> {
  const documents = await workbench.listDocuments();
  if (json) {
    io.out(`${JSON.stringify({ documents: documents.map(documentJson) }, null, 2)}\n`);
    return 0;
  }
  const numbers = new Intl.NumberFormat('en');
  for (const doc of documents) {
    io.out(`${doc.id}  ${doc.title}  (${numbers.format(doc.segments)} paragraphs, ${numbers.format(doc.words)} words)\n`);
    if (doc.locales.length === 0) io.out('  no locales yet: workbench new-locale <code>\n');
    for (const locale of doc.locales) {
      if (locale.error || !locale.progress) {
        io.out(`  ${locale.code.padEnd(8)} ERROR ${locale.error?.message ?? ''}\n`);
        continue;
      }
      const s = locale.progress.bySegments;
      const done = locale.progress.words ? Math.round((100 * (locale.progress.byWords.translated + locale.progress.byWords.approved)) / locale.progress.words) : 0;
      io.out(
        `  ${locale.code.padEnd(8)} ${locale.name.padEnd(16)} untranslated ${String(s.untranslated).padStart(5)}  translated ${String(s.translated).padStart(5)}  approved ${String(s.approved).padStart(5)}  ${String(done).padStart(3)}% of words\n`,
      );
    }
  }
  return 0;
}

async function newLocale(workbench: Workbench, code: string, doc: string | undefined, io: CliIo): Promise<number> {
  let documentId = doc;
  if (!documentId) {
    const ids = await workbench.documentIds();
    if (ids.length !== 1) throw new UsageError(`Name the document with --doc: ${ids.join(', ') || 'there are none'}.`);
    documentId = ids[0];
  }
  const locale = await workbench.startLocale(documentId, code);
  io.out(`Started ${locale.name} (${locale.code}) for ${documentId}: locales/${locale.code}/${documentId}.xlf\n`);
  return 0;
}

function who(by: string | undefined, io: CliIo): string {
  if (by) return by;
  try {
    return io.env.USER ?? os.userInfo().username;
  } catch {
    return 'command line';
  }
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new WorkbenchError(400, 'file-unreadable', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}

async function importCommand(workbench: Workbench, file: string, id: string | undefined, by: string, io: CliIo): Promise<number> {
  const document = await workbench.importDocument(await readInput(file), { name: path.basename(file), id, who: by });
  io.out(`Imported ${document.id} (${document.segments.length} segments) as version 1.\n`);
  return 0;
}

async function updateCommand(workbench: Workbench, doc: string, file: string, options: { force: boolean; who: string }, io: CliIo): Promise<number> {
  const report = await workbench.updateSource(doc, await readInput(file), { name: path.basename(file), ...options });
  if (!report.changed) {
    io.out(`${doc}: the text is the same as version ${report.version.number}; nothing changed.\n`);
    return 0;
  }
  const c = report.version.counts;
  io.out(`${doc}: version ${report.version.number}: ${c.unchanged} unchanged, ${c.moved} moved, ${c.minor} minor, ${c.edited} edited, ${c.split} split, ${c.merged} merged, ${c.new} new, ${c.deleted} deleted.\n`);
  for (const locale of report.locales) {
    io.out(locale.error ? `  ${locale.code}: not updated: ${locale.error}\n` : `  ${locale.code}: ${locale.drifted} drifted\n`);
  }
  return 0;
}

async function driftCommand(workbench: Workbench, doc: string | undefined, locale: string | undefined, json: boolean, io: CliIo): Promise<number> {
  const ids = doc ? [doc] : await workbench.documentIds();
  const reports = [];
  for (const id of ids) reports.push(await workbench.driftReport(id, locale));
  const drifted = reports.some((r) => r.locales.some((l) => l.drifted.length > 0));
  if (json) {
    io.out(`${JSON.stringify({ documents: reports, drifted }, null, 2)}\n`);
  } else {
    for (const report of reports) {
      io.out(`${report.document} (source version ${report.version})\n`);
      for (const l of report.locales) {
        if (l.error) {
          io.out(`  ${l.code}: cannot be read: ${l.error}\n`);
          continue;
        }
        io.out(`  ${l.code}: ${l.drifted.length} drifted, ${l.untranslated} untranslated, ${l.removed} removed (archived)\n`);
        for (const d of l.drifted.slice(0, 20)) io.out(`    ${d.id}  ${d.source.length > 70 ? `${d.source.slice(0, 70)}…` : d.source}\n`);
        if (l.drifted.length > 20) io.out(`    … and ${l.drifted.length - 20} more\n`);
      }
    }
  }
  return drifted ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
