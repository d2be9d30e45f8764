#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import { APP_ROOT } from '../server/appRoot';
import { createWorkbench } from '../server/createWorkbench';
import { isWorkbenchError } from '../server/errors';
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
  status [--json]                  documents × locales with paragraph counts
  new-locale <code> [--doc <id>]   start translating a document into a language (BCP 47 tag)

Options:
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
      options: { json: { type: 'boolean' }, doc: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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

if (require.main === module) {
  main(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
