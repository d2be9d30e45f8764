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
import { gitLock, projectLock } from '../server/storage/projectLock';
import { exportCommand, importXliffCommand } from './editionCommands';
import { alignCommand } from './alignCommand';
import { readInput } from './readInput';
import { once } from '../server/once';
import { cliOf, progressLine, type Cli, type CliIo } from './cliIo';

export type { CliIo };

import { errorMessage } from '../server/errorMessage';
import { isWorkbenchError, WorkbenchError } from '../server/errors';
import { documentJson } from '../server/application/presenters';
import type { Workbench } from '../server/application/workbench';
import type { SourceUpdateStep } from '../server/application/sourceUpdates';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded by the commands that use them: every command is a whole process */
/** The git commands (git init, sync, the merge driver) and what they load: git, merges. */
const gitCommands = once(() => require('./gitCommands') as typeof import('./gitCommands'));
/** The interface catalogue's XLIFF, for the ui-xliff command. */
const uiCatalogCommands = once(() => require('./uiCatalogCommands') as typeof import('./uiCatalogCommands'));
/** Passwords, for the user commands. */
const passwords = once(() => require('../server/accounts/passwords') as typeof import('../server/accounts/passwords'));
/* eslint-enable @typescript-eslint/no-require-imports */


class UsageError extends Error {}

/** Runs the CLI; returns the exit code (0 ok, 1 refused or failed, 2 usage). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  // The user's language, for every word the commands write (see environmentLanguage).
  const cli = cliOf(io, APP_ROOT);
  const { t } = cli;
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
      io.out(`${t('cli.usage')}\n`);
      return command || values.help ? 0 : 2;
    }
    const dataDir = path.resolve(values.data ?? io.env.WORKBENCH_DATA ?? APP_ROOT);
    if (command === 'user' || command === 'token') {
      const { accounts } = projectRecords(dataDir);
      const options = { roles: values.role, passwordStdin: Boolean(values['password-stdin']), label: values.label, json: Boolean(values.json) };
      return command === 'user' ? await userCommand(accounts, rest, options, cli) : await tokenCommand(accounts, rest, options, cli);
    }
    if (command === 'backup') {
      if (rest.length !== 1) throw new UsageError(t('cli.args.backup'));
      const report = await backupProject(dataDir, rest[0]);
      const size = new Intl.NumberFormat(cli.lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(report.bytes / 1024 / 1024);
      io.out(`${t('cli.backedUp', { dir: dataDir, to: report.dir, files: cli.number(report.files), size })}\n`);
      return 0;
    }
    if (command === 'git' && rest[0] === 'merge-driver') {
      // Run by git inside a merge: it reads and writes only the files git names (no project lock).
      return await gitCommands().mergeDriverCommand(rest.slice(1), cli);
    }
    if (command === 'ui-xliff') {
      if (rest.length !== 2) throw new UsageError(t('cli.args.uiXliff'));
      // The interface strings belong to the workbench (its locales/ folder), not to a project.
      return await uiCatalogCommands().uiXliffCommand(APP_ROOT, rest, { out: values.out, dryRun: Boolean(values['dry-run']) }, cli);
    }
    const project = createProject(dataDir);
    // A command that waits for the server (or another command) to finish its writes says so.
    const onWait = (holder: string) => io.err(`${t('cli.waiting', { holder })}\n`);
    projectLock(dataDir, { onWait });
    gitLock(dataDir, { onWait });
    const { workbench } = project;
    // A write stopped part way (a killed server or command) leaves history to settle first.
    await workbench.settleStagedHistory();
    switch (command) {
      case 'status':
        if (rest.length) throw new UsageError(t('cli.args.status'));
        return await status(workbench, Boolean(values.json), cli);
      case 'new-locale':
        if (rest.length !== 1) throw new UsageError(t('cli.args.newLocale'));
        return await newLocale(workbench, rest[0], values.doc, cli);
      case 'import':
        if (rest.length !== 1) throw new UsageError(t('cli.args.import'));
        return await importCommand(workbench, rest[0], values.id, who(values.by, io), cli);
      case 'update-source':
        if (rest.length !== 2) throw new UsageError(t('cli.args.updateSource'));
        return await updateCommand(workbench, rest[0], rest[1], { force: Boolean(values.force), who: who(values.by, io) }, cli);
      case 'drift':
        if (rest.length) throw new UsageError(t('cli.args.drift'));
        return await driftCommand(workbench, values.doc, values.locale, Boolean(values.json), cli);
      case 'export':
        if (rest.length) throw new UsageError(t('cli.args.export'));
        return await exportCommand(project, { doc: values.doc, locale: values.locale, format: values.format, out: values.out, draft: Boolean(values.draft), force: Boolean(values.force), who: who(values.by, io) }, cli);
      case 'align':
        if (rest.length !== 3) throw new UsageError(t('cli.args.align'));
        return await alignCommand(project, { doc: rest[0], lang: rest[1], file: rest[2], dryRun: Boolean(values['dry-run']), json: Boolean(values.json), who: who(values.by, io) }, cli);
      case 'git':
        if (rest.length !== 1 || rest[0] !== 'init') throw new UsageError(t('cli.args.git'));
        return await gitCommands().gitInitCommand(project, { remote: values.remote, who: who(values.by, io) }, cli);
      case 'sync':
        if (rest.length) throw new UsageError(t('cli.args.sync'));
        return await gitCommands().syncCommand(project, who(values.by, io), Boolean(values.json), cli);
      case 'import-xliff':
        if (rest.length !== 1) throw new UsageError(t('cli.args.importXliff'));
        return await importXliffCommand(project, rest[0], { doc: values.doc, locale: values.locale, dryRun: Boolean(values['dry-run']), who: who(values.by, io) }, cli);
      default:
        throw new UsageError(t('cli.args.unknownCommand', { command }));
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${optionError(err as Error & { code?: string }, t)}\n\n${t('cli.usage')}\n`);
      return 2;
    }
    if (isWorkbenchError(err)) {
      io.err(`workbench: ${errorMessage(err, t, cli.lang)}\n`);
      return 1;
    }
    io.err(`workbench: ${(err as Error).message}\n`);
    return 1;
  }
}

/**
 * A malformed command line in the user's words: Node's parseArgs names the option only inside its
 * English message (`Unknown option '--frob'. To specify…`), so the option is taken from there; a
 * message of another form is given as Node wrote it.
 */
function optionError(err: Error & { code?: string }, t: Cli['t']): string {
  const option = /'(-[^' ]*)/.exec(err.message)?.[1];
  if (!option) return err.message;
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return t('cli.args.unknownOption', { option });
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return t(/does not take/.test(err.message) ? 'cli.args.optionNoValue' : 'cli.args.optionValue', { option });
  return err.message;
}

async function status(workbench: Workbench, json: boolean, cli: Cli): Promise<number> {
  const { t, number } = cli;
  // The locales named in the user's language (their JSON gives each language's own name).
  const documents = await workbench.listDocuments(cli.lang);
  if (json) {
    cli.out(`${JSON.stringify({ documents: documents.map(documentJson) }, null, 2)}\n`);
    return 0;
  }
  const labels = { untranslated: t('cli.status.untranslated'), translated: t('cli.status.translated'), approved: t('cli.status.approved') };
  for (const doc of documents) {
    const paragraphs = t('cli.paragraphs', { count: doc.segments, formatted: number(doc.segments) });
    const words = t('cli.words', { count: doc.words, formatted: number(doc.words) });
    cli.out(`${t('cli.status.document', { id: doc.id, title: doc.title, paragraphs, words })}\n`);
    if (doc.locales.length === 0) cli.out(`  ${t('cli.status.noLocales')}\n`);
    for (const locale of doc.locales) {
      if (locale.error || !locale.progress) {
        cli.out(`  ${locale.code.padEnd(8)} ${t('cli.status.error', { message: locale.error?.message ?? '' })}\n`);
        continue;
      }
      const s = locale.progress.bySegments;
      const done = locale.progress.words ? Math.round((100 * (locale.progress.byWords.translated + locale.progress.byWords.approved)) / locale.progress.words) : 0;
      const counts = (['untranslated', 'translated', 'approved'] as const).map((key) => `${labels[key]} ${number(s[key]).padStart(6)}`).join('  ');
      cli.out(`  ${locale.code.padEnd(8)} ${locale.name.padEnd(16)} ${counts}  ${t('cli.status.ofWords', { percent: cli.percent(done / 100).padStart(4) })}\n`);
    }
  }
  return 0;
}

async function newLocale(workbench: Workbench, code: string, doc: string | undefined, cli: Cli): Promise<number> {
  let documentId = doc;
  if (!documentId) {
    const ids = await workbench.documentIds();
    if (ids.length !== 1) throw new UsageError(ids.length ? cli.t('cli.args.nameDocument', { ids: ids.join(', ') }) : cli.t('cli.args.noDocuments'));
    documentId = ids[0];
  }
  const locale = await workbench.startLocale(documentId, code, cli.lang);
  // The next command reads the new file's snapshot instead of parsing it (a book's file: a third of
  // a second each, for each command that changes it, such as a source update).
  await workbench.keepCaches();
  cli.out(`${cli.t('cli.newLocale', { name: locale.name, code: locale.code, document: documentId, file: `locales/${locale.code}/${documentId}.xlf` })}\n`);
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

async function importCommand(workbench: Workbench, file: string, id: string | undefined, by: string, cli: Cli): Promise<number> {
  const { t } = cli;
  const progress = progressLine(cli);
  progress.say(t('cli.import.reading', { file: path.basename(file) }));
  const document = await workbench.importDocument(await readInput(file), { name: path.basename(file), id, who: by }).finally(() => progress.done());
  const count = document.segments.length;
  cli.out(`${t('cli.import.done', { document: document.id, paragraphs: t('cli.paragraphs', { count, formatted: cli.number(count) }) })}\n`);
  return 0;
}

/** A step of a source update (see SourceUpdateStep) in the user's words. */
function sayStep(step: SourceUpdateStep, cli: Cli): string {
  const { t, number } = cli;
  switch (step.step) {
    case 'aligning':
      return t('cli.update.aligning', { document: step.document, version: number(step.version), paragraphs: t('cli.paragraphs', { count: step.paragraphs, formatted: number(step.paragraphs) }) });
    case 'writing':
      return t('cli.update.writing', { version: number(step.version), locales: new Intl.ListFormat(cli.lang, { type: 'conjunction' }).format(step.locales) });
    case 'locale-done':
      return t('cli.update.localeDone', { locale: step.locale, version: number(step.version), done: number(step.done), of: number(step.of) });
  }
}

async function updateCommand(workbench: Workbench, doc: string, file: string, options: { force: boolean; who: string }, cli: Cli): Promise<number> {
  const { t, number } = cli;
  const progress = progressLine(cli);
  progress.say(t('cli.update.reading', { file: path.basename(file) }));
  const onProgress = (step: SourceUpdateStep): void => progress.say(sayStep(step, cli));
  const report = await workbench.updateSource(doc, await readInput(file), { name: path.basename(file), ...options, onProgress }).finally(() => progress.done());
  const version = number(report.version.number);
  if (!report.changed) {
    cli.out(`${t('cli.update.same', { document: doc, version })}\n`);
    return 0;
  }
  const c = report.version.counts;
  const counts = Object.fromEntries(Object.entries(c).map(([key, value]) => [key, number(value)]));
  cli.out(`${t('cli.update.done', { document: doc, version, ...counts })}\n`);
  for (const locale of report.locales) {
    cli.out(`  ${locale.error ? t('cli.update.localeFailed', { code: locale.code, error: locale.error }) : t('cli.update.localeDrifted', { code: locale.code, drifted: number(locale.drifted) })}\n`);
  }
  return 0;
}

async function driftCommand(workbench: Workbench, doc: string | undefined, locale: string | undefined, json: boolean, cli: Cli): Promise<number> {
  const { t, number } = cli;
  const ids = doc ? [doc] : await workbench.documentIds();
  const reports = [];
  for (const id of ids) reports.push(await workbench.driftReport(id, locale));
  const drifted = reports.some((r) => r.locales.some((l) => l.drifted.length > 0));
  if (json) {
    cli.out(`${JSON.stringify({ documents: reports, drifted }, null, 2)}\n`);
  } else {
    for (const report of reports) {
      cli.out(`${t('cli.drift.document', { document: report.document, version: number(report.version) })}\n`);
      for (const l of report.locales) {
        if (l.error) {
          cli.out(`  ${t('cli.drift.unreadable', { code: l.code, error: l.error })}\n`);
          continue;
        }
        cli.out(`  ${t('cli.drift.locale', { code: l.code, drifted: number(l.drifted.length), untranslated: number(l.untranslated), removed: number(l.removed) })}\n`);
        for (const d of l.drifted.slice(0, 20)) cli.out(`    ${d.id}  ${d.source.length > 70 ? `${d.source.slice(0, 70)}…` : d.source}\n`);
        if (l.drifted.length > 20) cli.out(`    ${t('cli.drift.more', { count: l.drifted.length - 20, formatted: number(l.drifted.length - 20) })}\n`);
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

function rolesOption(options: AccountOptions, command: string, cli: Cli): string {
  if (!options.roles?.length) throw new UsageError(cli.t('cli.args.role', { command }));
  return options.roles.join(',');
}

/** The new password: the first line of standard input, or a random one (printed afterwards by the caller). */
async function newPassword(options: AccountOptions, cli: Cli): Promise<{ password: string; generated: boolean }> {
  if (!options.passwordStdin) return { password: passwords().generatePassword(), generated: true };
  if (!cli.stdin) throw new WorkbenchError(400, 'no-stdin', cli.t('cli.noStdin'));
  const [line] = (await cli.stdin(cli.t('cli.passwordPrompt'))).split('\n');
  return { password: line.replace(/\r$/, ''), generated: false };
}

function tellPassword(name: string, password: string, cli: Cli): void {
  cli.out(`${cli.t('cli.users.password', { name, password })}\n${cli.t('cli.users.passwordNote', { name })}\n`);
}

async function userCommand(accounts: AccountRepository, args: string[], options: AccountOptions, cli: Cli): Promise<number> {
  const { t } = cli;
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      if (rest.length !== 1) throw new UsageError(t('cli.args.userAdd'));
      const roles = parseRoles(rolesOption(options, 'user add', cli));
      const { password, generated } = await newPassword(options, cli);
      const user = await accounts.addUser(rest[0], roles, password);
      cli.out(`${t('cli.users.added', { name: user.name, roles: formatRoles(user.roles) })}\n`);
      if (generated) tellPassword(user.name, password, cli);
      return 0;
    }
    case 'passwd': {
      if (rest.length !== 1) throw new UsageError(t('cli.args.userPasswd'));
      const user = await accounts.getUser(rest[0]);
      if (!user) throw new WorkbenchError(404, 'user-not-found', `There is no user "${rest[0]}".`, { params: { name: rest[0].slice(0, 40) } });
      const { password, generated } = await newPassword(options, cli);
      await accounts.setPassword(user.name, password);
      cli.out(`${t('cli.users.passwordChanged', { name: user.name })}\n`);
      if (generated) tellPassword(user.name, password, cli);
      return 0;
    }
    case 'roles': {
      if (rest.length !== 1) throw new UsageError(t('cli.args.userRoles'));
      const user = await accounts.setRoles(rest[0], parseRoles(rolesOption(options, 'user roles', cli)));
      cli.out(`${t('cli.users.rolesNow', { name: user.name, roles: formatRoles(user.roles) })}\n`);
      return 0;
    }
    case 'list': {
      if (rest.length) throw new UsageError(t('cli.args.userList'));
      const users = [];
      for (const user of await accounts.listUsers()) {
        const activeTokens = (await accounts.listTokens(user.name)).filter((token) => !token.revokedAt).length;
        users.push({ name: user.name, roles: user.roles, createdAt: user.createdAt, hasPassword: user.hasPassword, activeTokens });
      }
      if (options.json) {
        cli.out(`${JSON.stringify({ users }, null, 2)}\n`);
        return 0;
      }
      if (users.length === 0) cli.out(`${t('cli.users.none')}\n`);
      const width = Math.max(4, ...users.map((u) => u.name.length));
      for (const u of users) {
        const tokens = t('cli.users.activeTokens', { count: u.activeTokens, formatted: cli.number(u.activeTokens) });
        cli.out(`${t('cli.users.row', { name: u.name.padEnd(width), roles: formatRoles(u.roles).padEnd(30), date: u.createdAt.slice(0, 10), tokens })}\n`);
      }
      return 0;
    }
    default:
      throw new UsageError(sub ? t('cli.args.userUnknown', { command: sub }) : t('cli.args.user'));
  }
}

async function tokenCommand(accounts: AccountRepository, args: string[], options: AccountOptions, cli: Cli): Promise<number> {
  const { t } = cli;
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      if (rest.length !== 1) throw new UsageError(t('cli.args.tokenCreate'));
      const { id, token } = await accounts.createToken(rest[0], options.label);
      // Only the token on standard output, so scripts can capture it; the rest goes to stderr.
      cli.out(`${token}\n`);
      cli.err(`${t('cli.tokens.created', { id, name: rest[0], command: `workbench token revoke ${JSON.stringify(rest[0])} ${id}` })}\n`);
      return 0;
    }
    case 'list': {
      if (rest.length !== 1) throw new UsageError(t('cli.args.tokenList'));
      const tokens = await accounts.listTokens(rest[0]);
      if (options.json) {
        cli.out(`${JSON.stringify({ tokens }, null, 2)}\n`);
        return 0;
      }
      if (tokens.length === 0) cli.out(`${t('cli.tokens.none', { name: rest[0] })}\n`);
      for (const token of tokens) {
        const state = token.revokedAt ? t('cli.tokens.revokedOn', { date: token.revokedAt.slice(0, 10) }) : t('cli.tokens.active');
        cli.out(`${t('cli.tokens.row', { id: token.id, date: token.createdAt.slice(0, 10), status: state })}${token.label ? `  ${token.label}` : ''}\n`);
      }
      return 0;
    }
    case 'revoke': {
      if (rest.length !== 2) throw new UsageError(t('cli.args.tokenRevoke'));
      const token = await accounts.revokeToken(rest[0], rest[1]);
      cli.out(`${t('cli.tokens.revoked', { id: token.id, name: token.user })}\n`);
      return 0;
    }
    default:
      throw new UsageError(sub ? t('cli.args.tokenUnknown', { command: sub }) : t('cli.args.token'));
  }
}

/** Standard input up to its first newline (or its end), for --password-stdin. */
function readStdinLine(prompt: string): Promise<string> {
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
    if (stdin.isTTY) process.stderr.write(prompt);
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', finish);
  });
}

/**
 * Writes to `stream` until its reader has gone (`workbench status | head -3`): the rest is dropped,
 * and the command finishes its work as it would have (what it writes to the project is not cut
 * short by a closed pipe), without the stack trace of an unhandled EPIPE.
 */
function writerTo(stream: NodeJS.WriteStream): (text: string) => void {
  let gone = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    gone = true;
  });
  return (text) => {
    if (!gone) stream.write(text);
  };
}

if (require.main === module) {
  main(process.argv.slice(2), { out: writerTo(process.stdout), err: writerTo(process.stderr), env: process.env, stdin: readStdinLine, errIsTTY: process.stderr.isTTY === true }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
