#!/usr/bin/env node
import path from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { AccountRepository } from '../server/accounts/accountRepository';
import { formatRoles, parseRoles } from '../server/accounts/parseRoles';
import { APP_ROOT } from '../server/appRoot';
import { createProject } from '../server/application/createWorkbench';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { backupProject } from '../server/storage/backupProject';
import { projectLock } from '../server/storage/projectLock';
import { exportCommand, importXliffCommand } from './editionCommands';
import { alignCommand } from './alignCommand';
import { readInput } from './readInput';
import { once } from '../server/once';
import { progressLine, type CliIo } from './cliIo';

export type { CliIo };

import { isWorkbenchError, WorkbenchError } from '../server/errors';
import { documentJson } from '../server/application/presenters';
import type { Workbench } from '../server/application/workbench';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded by the commands that use them: every command is a whole process */
/** The git commands (git init, sync, the merge driver) and what they load: git, merges. */
const gitCommands = once(() => require('./gitCommands') as typeof import('./gitCommands'));
/** The interface catalogue's XLIFF, for the ui-xliff command. */
const uiCatalogCommands = once(() => require('./uiCatalogCommands') as typeof import('./uiCatalogCommands'));
/** Passwords, for the user commands. */
const passwords = once(() => require('../server/accounts/passwords') as typeof import('../server/accounts/passwords'));
/* eslint-enable @typescript-eslint/no-require-imports */


const USAGE = `Usage: workbench <command> [options]

Commands:
  status [--json]                          documents × locales with paragraph counts
  new-locale <code> [--doc <id>]           start translating a document into a language (BCP 47 tag)
  import <file> [--id <doc>]               add a document (Markdown, .txt, or another tool's XLIFF file:
                                           .xlf, .xliff, .mqxliff, .sdlxliff) as version 1
  update-source <doc> <file> [--force]     record a new version of a document's source; translations
                                           follow it (moved/minor keep, edited drift, deleted archived)
  drift [--doc <id>] [--locale <code>] [--json]
                                           drifted, untranslated and removed paragraphs per locale;
                                           exits 1 when anything is drifted (a publishing gate)
  user add <name> --role <roles> [--password-stdin]
                                           add a user; roles: admin, translator:<lang>, reviewer:<lang>,
                                           comma-separated (e.g. translator:es,reviewer:fr). Without
                                           --password-stdin a random password is printed once
  user passwd <name> [--password-stdin]    set a new password (random unless --password-stdin)
  user roles <name> --role <roles>         replace a user's roles
  user list [--json]                       users, roles, created date, active tokens
  token create <name> [--label <text>]     create an API token; prints only the token on stdout
  token list <name> [--json]               a user's tokens (id, label, created, revoked)
  token revoke <name> <id>                 revoke one of a user's tokens
  export --locale <code> --format <f> [--doc <id>] [--out <file>|-] [--draft] [--force]
                                           publish a locale: epub, html, md, txt, epub-bilingual,
                                           html-bilingual (refused with the list
                                           of what is missing when incomplete, unless --draft), or
                                           xliff (XLIFF 1.2), xliff2 (XLIFF 2.0), tmx (approved pairs),
                                           original (a document imported from another tool's XLIFF
                                           file: that file with the translations; --force leaves out
                                           translations whose codes do not fit, instead of refusing)
  import-xliff <file> [--doc <id>] [--locale <code>] [--dry-run]
                                           merge an XLIFF 1.1/1.2/2.0 file translated elsewhere (units
                                           by id, else by source text); --dry-run only lists the changes
  backup <dir>                             a consistent copy of the project (texts, translations and the
                                           database) into a new or empty folder; see the README to restore
  align <doc> <lang> <file> [--dry-run] [--json]
                                           bring a published translation (Markdown or text) into a
                                           language: its paragraphs aligned with the source's, each
                                           link listed lowest confidence first; --dry-run writes nothing
  git init [--remote <url>]                keep the project in git: .gitignore, .gitattributes, the
                                           merge driver (locale files merged by paragraph), a first commit
  sync [--json]                            commit pending changes (one commit per person), fetch, merge
                                           by paragraph, push; exits 1 when the remote fails
  git merge-driver %O %A %B %P             the merge driver git runs (registered by git init)
  ui-xliff export <lang> [--out <file>]    the interface strings as XLIFF 1.2, to translate the
                                           workbench itself in a CAT tool
  ui-xliff import <file> [--dry-run]       take a translated one into locales/<lang>/ui.json

Options:
  --by <name>    who made the change (default: the system user)
  --data <dir>   the project folder (default: $WORKBENCH_DATA, else the repository);
                 records (accounts, history…) live in <dir>/workbench.db
  --password-stdin
                 read the password from the first line of standard input
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
        role: { type: 'string', multiple: true },
        'password-stdin': { type: 'boolean' },
        label: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        draft: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        remote: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      io.out(USAGE);
      return command || values.help ? 0 : 2;
    }
    const dataDir = path.resolve(values.data ?? io.env.WORKBENCH_DATA ?? APP_ROOT);
    if (command === 'user' || command === 'token') {
      const { accounts } = projectRecords(dataDir);
      const options = { roles: values.role, passwordStdin: Boolean(values['password-stdin']), label: values.label, json: Boolean(values.json) };
      return command === 'user' ? await userCommand(accounts, rest, options, io) : await tokenCommand(accounts, rest, options, io);
    }
    if (command === 'backup') {
      if (rest.length !== 1) throw new UsageError('backup takes one folder: "workbench backup /backups/2026-12-04".');
      const report = await backupProject(dataDir, rest[0]);
      io.out(`Backed up ${dataDir} to ${report.dir}: ${report.files} files, ${(report.bytes / 1024 / 1024).toFixed(1)} MB.\n`);
      return 0;
    }
    if (command === 'git' && rest[0] === 'merge-driver') {
      // Run by git inside a merge: it reads and writes only the files git names (no project lock).
      return await gitCommands().mergeDriverCommand(rest.slice(1), io);
    }
    if (command === 'ui-xliff') {
      if (rest.length !== 2) throw new UsageError('ui-xliff takes "export <lang>" or "import <file>".');
      // The interface strings belong to the workbench (its locales/ folder), not to a project.
      return await uiCatalogCommands().uiXliffCommand(APP_ROOT, rest, { out: values.out, dryRun: Boolean(values['dry-run']) }, io);
    }
    const project = createProject(dataDir);
    // A command that waits for the server (or another command) to finish its writes says so.
    projectLock(dataDir, { onWait: (holder) => io.err(`Waiting for another workbench process (${holder}) to finish writing to this project…\n`) });
    const { workbench } = project;
    // A write stopped part way (a killed server or command) leaves history to settle first.
    await workbench.settleStagedHistory();
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
      case 'export':
        if (rest.length) throw new UsageError('export takes no arguments: use --doc, --locale, --format, --out and --draft.');
        return await exportCommand(project, { doc: values.doc, locale: values.locale, format: values.format, out: values.out, draft: Boolean(values.draft), force: Boolean(values.force), who: who(values.by, io) }, io);
      case 'align':
        if (rest.length !== 3) throw new UsageError('align takes a document, a language and a file: "workbench align communard-manifesto es traduccion.md".');
        return await alignCommand(project, { doc: rest[0], lang: rest[1], file: rest[2], dryRun: Boolean(values['dry-run']), json: Boolean(values.json), who: who(values.by, io) }, io);
      case 'git':
        if (rest.length !== 1 || rest[0] !== 'init') throw new UsageError('git takes "init [--remote <url>]" (and "merge-driver", which git runs).');
        return await gitCommands().gitInitCommand(project, { remote: values.remote, who: who(values.by, io) }, io);
      case 'sync':
        if (rest.length) throw new UsageError('sync takes no arguments.');
        return await gitCommands().syncCommand(project, who(values.by, io), Boolean(values.json), io);
      case 'import-xliff':
        if (rest.length !== 1) throw new UsageError('import-xliff takes one file: "workbench import-xliff es.xlf --locale es".');
        return await importXliffCommand(project, rest[0], { doc: values.doc, locale: values.locale, dryRun: Boolean(values['dry-run']), who: who(values.by, io) }, io);
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
  // The next command reads the new file's snapshot instead of parsing it (a book's file: a third of
  // a second each, for each command that changes it, such as a source update).
  await workbench.keepCaches();
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

async function importCommand(workbench: Workbench, file: string, id: string | undefined, by: string, io: CliIo): Promise<number> {
  const progress = progressLine(io);
  progress.say(`Reading and segmenting ${path.basename(file)}…`);
  const document = await workbench.importDocument(await readInput(file), { name: path.basename(file), id, who: by }).finally(() => progress.done());
  io.out(`Imported ${document.id} (${document.segments.length} segments) as version 1.\n`);
  return 0;
}

async function updateCommand(workbench: Workbench, doc: string, file: string, options: { force: boolean; who: string }, io: CliIo): Promise<number> {
  const progress = progressLine(io);
  progress.say(`Reading ${path.basename(file)}…`);
  const report = await workbench.updateSource(doc, await readInput(file), { name: path.basename(file), ...options, onProgress: progress.say }).finally(() => progress.done());
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

interface AccountOptions {
  roles?: string[];
  passwordStdin: boolean;
  label?: string;
  json: boolean;
}

function rolesOption(options: AccountOptions, command: string): string {
  if (!options.roles?.length) throw new UsageError(`${command} needs --role, e.g. --role translator:es,reviewer:fr (or admin).`);
  return options.roles.join(',');
}

/** The new password: the first line of standard input, or a random one (printed afterwards by the caller). */
async function newPassword(options: AccountOptions, io: CliIo): Promise<{ password: string; generated: boolean }> {
  if (!options.passwordStdin) return { password: passwords().generatePassword(), generated: true };
  if (!io.stdin) throw new WorkbenchError(400, 'no-stdin', 'There is no standard input to read the password from.');
  const [line] = (await io.stdin()).split('\n');
  return { password: line.replace(/\r$/, ''), generated: false };
}

function tellPassword(name: string, password: string, io: CliIo): void {
  io.out(`Password for ${name}: ${password}\nGive this password to ${name} privately; it is not shown again and is stored only as a hash.\n`);
}

async function userCommand(accounts: AccountRepository, args: string[], options: AccountOptions, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      if (rest.length !== 1) throw new UsageError('user add takes one name: workbench user add "Ana" --role translator:es');
      const roles = parseRoles(rolesOption(options, 'user add'));
      const { password, generated } = await newPassword(options, io);
      const user = await accounts.addUser(rest[0], roles, password);
      io.out(`Added user ${user.name} (${formatRoles(user.roles)}).\n`);
      if (generated) tellPassword(user.name, password, io);
      return 0;
    }
    case 'passwd': {
      if (rest.length !== 1) throw new UsageError('user passwd takes one name: workbench user passwd "Ana" [--password-stdin]');
      const user = await accounts.getUser(rest[0]);
      if (!user) throw new WorkbenchError(404, 'user-not-found', `There is no user "${rest[0]}".`);
      const { password, generated } = await newPassword(options, io);
      await accounts.setPassword(user.name, password);
      io.out(`Changed the password of ${user.name}.\n`);
      if (generated) tellPassword(user.name, password, io);
      return 0;
    }
    case 'roles': {
      if (rest.length !== 1) throw new UsageError('user roles takes one name: workbench user roles "Ana" --role reviewer:es');
      const user = await accounts.setRoles(rest[0], parseRoles(rolesOption(options, 'user roles')));
      io.out(`${user.name} is now ${formatRoles(user.roles)}.\n`);
      return 0;
    }
    case 'list': {
      if (rest.length) throw new UsageError('user list takes no arguments.');
      const users = [];
      for (const user of await accounts.listUsers()) {
        const activeTokens = (await accounts.listTokens(user.name)).filter((t) => !t.revokedAt).length;
        users.push({ name: user.name, roles: user.roles, createdAt: user.createdAt, hasPassword: user.hasPassword, activeTokens });
      }
      if (options.json) {
        io.out(`${JSON.stringify({ users }, null, 2)}\n`);
        return 0;
      }
      if (users.length === 0) io.out('No users yet: workbench user add <name> --role admin\n');
      const width = Math.max(4, ...users.map((u) => u.name.length));
      for (const u of users) {
        io.out(`${u.name.padEnd(width)}  ${formatRoles(u.roles).padEnd(30)}  created ${u.createdAt.slice(0, 10)}  ${u.activeTokens} active token${u.activeTokens === 1 ? '' : 's'}\n`);
      }
      return 0;
    }
    default:
      throw new UsageError(sub ? `Unknown command "user ${sub}".` : 'user needs a command: add, passwd, roles or list.');
  }
}

async function tokenCommand(accounts: AccountRepository, args: string[], options: AccountOptions, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      if (rest.length !== 1) throw new UsageError('token create takes one user name: workbench token create "Ana" [--label ci]');
      const { id, token } = await accounts.createToken(rest[0], options.label);
      // Only the token on standard output, so scripts can capture it; the rest goes to stderr.
      io.out(`${token}\n`);
      io.err(`Created token ${id} for ${rest[0]}. It is shown only this once; revoke it with: workbench token revoke ${JSON.stringify(rest[0])} ${id}\n`);
      return 0;
    }
    case 'list': {
      if (rest.length !== 1) throw new UsageError('token list takes one user name.');
      const tokens = await accounts.listTokens(rest[0]);
      if (options.json) {
        io.out(`${JSON.stringify({ tokens }, null, 2)}\n`);
        return 0;
      }
      if (tokens.length === 0) io.out(`${rest[0]} has no tokens.\n`);
      for (const t of tokens) {
        io.out(`${t.id}  created ${t.createdAt.slice(0, 10)}  ${t.revokedAt ? `revoked ${t.revokedAt.slice(0, 10)}` : 'active'}${t.label ? `  ${t.label}` : ''}\n`);
      }
      return 0;
    }
    case 'revoke': {
      if (rest.length !== 2) throw new UsageError('token revoke takes a user name and a token id: workbench token revoke "Ana" 1a2b3c4d5e6f');
      const token = await accounts.revokeToken(rest[0], rest[1]);
      io.out(`Revoked token ${token.id} of ${token.user}.\n`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `Unknown command "token ${sub}".` : 'token needs a command: create, list or revoke.');
  }
}

/** Standard input up to its first newline (or its end), for --password-stdin. */
function readStdinLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    let text = '';
    const finish = (err?: Error) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', finish);
      stdin.pause();
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) finish();
    };
    const onEnd = () => finish();
    if (stdin.isTTY) process.stderr.write('Password (then Enter): ');
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', finish);
  });
}

if (require.main === module) {
  main(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env, stdin: readStdinLine, errIsTTY: process.stderr.isTTY === true }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
