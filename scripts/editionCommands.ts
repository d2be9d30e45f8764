import path from 'node:path';
import type { Project } from '../server/application/createWorkbench';
import { errorMessage } from '../server/errorMessage';
import { isWorkbenchError, WorkbenchError } from '../server/errors';
import { writeFileAtomic } from '../server/storage/writeFileAtomic';
import { readInput } from './readInput';
import { progressLine, type Cli } from './cliIo';

/** `workbench export`: writes an edition or interchange file; exit 1 with the missing list when an edition is incomplete and not a draft. */
export async function exportCommand(
  project: Project,
  options: { doc?: string; locale?: string; format?: string; out?: string; draft: boolean; force?: boolean; who: string },
  cli: Cli,
): Promise<number> {
  const { t } = cli;
  if (!options.locale || !options.format) throw new WorkbenchError(400, 'usage', t('cli.args.exportNeeds'));
  const doc = options.doc ?? (await onlyDocument(project, cli));
  let exported;
  const progress = progressLine(cli);
  progress.say(t('cli.export.making', { format: options.format, document: doc, locale: options.locale }));
  try {
    exported = await project.editions.export(doc, options.locale, options.format, { draft: options.draft, force: options.force, who: options.who });
  } catch (err) {
    progress.done();
    if (!isWorkbenchError(err) || err.code !== 'edition-incomplete') throw err;
    const missing = (err.details as { missing: { id: string; reason: string; source: string }[] }).missing;
    cli.err(`workbench: ${errorMessage(err, t, cli.lang)}\n`);
    const reasons = new Map(missing.map((m) => [m.reason, t(`edition.reason.${m.reason}`, { defaultValue: m.reason })]));
    const width = Math.max(13, ...[...reasons.values()].map((r) => r.length + 1));
    for (const m of missing) cli.err(`  ${(reasons.get(m.reason) ?? m.reason).padEnd(width)} ${m.id}  ${m.source}\n`);
    cli.err(`${t('cli.export.addDraft')}\n`);
    return 1;
  }
  progress.done();
  if (options.out === '-') {
    if (options.format === 'epub') throw new WorkbenchError(400, 'usage', t('cli.args.epubOut'));
    cli.out(Buffer.from(exported.body).toString('utf8'));
    return 0;
  }
  const file = path.resolve(options.out ?? exported.fileName);
  await writeFileAtomic(file, exported.body);
  const { record } = exported;
  const version = cli.number(record.sourceVersion);
  cli.out(
    `${record.draft ? t('cli.export.wroteDraft', { file, format: record.format, percent: cli.percent(record.percent / 100), version }) : t('cli.export.wrote', { file, format: record.format, version })}\n`,
  );
  return 0;
}

/** `workbench import-xliff`: merges an XLIFF file translated elsewhere; with --dry-run only says what it would do. */
export async function importXliffCommand(
  project: Project,
  file: string,
  options: { doc?: string; locale?: string; dryRun: boolean; who: string },
  cli: Cli,
): Promise<number> {
  const { t, number } = cli;
  const name = path.basename(file);
  const progress = progressLine(cli);
  progress.say(t('cli.importXliff.reading', { file: name }));
  const { target, result } = await (async () => {
    const xliff = await project.imports.read(await readInput(file), name);
    const target = await project.imports.targetOf(xliff, name, { document: options.doc, locale: options.locale });
    progress.say(t('cli.importXliff.merging', { file: name, document: target.document, locale: target.locale }));
    return { target, result: await project.imports.merge(target.document, target.locale, xliff, { name, who: options.who, dryRun: options.dryRun }) };
  })().finally(() => progress.done());
  const { plan } = result;
  const conflicts = plan.conflicts.length + result.changedMeanwhile.length;
  cli.out(`${t(options.dryRun ? 'cli.importXliff.headingDryRun' : 'cli.importXliff.heading', { name, version: plan.fileVersion, document: target.document, locale: target.locale })}\n`);
  const rows: [string, string][] = [
    [t('cli.importXliff.newTranslations'), number(plan.newTranslations.length)],
    [t('cli.importXliff.changed'), number(plan.changed.length)],
    [t('cli.importXliff.conflicts'), t('cli.importXliff.notImported', { count: conflicts, formatted: number(conflicts) })],
    [t('cli.importXliff.unchanged'), number(plan.unchanged)],
    [t('cli.importXliff.emptyInFile'), number(plan.emptyInFile)],
    [t('cli.importXliff.unknown'), number(plan.unknown.length)],
    [t('cli.importXliff.skipped'), number(plan.skipped.length)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  cli.out(rows.map(([label, value]) => `  ${label.padEnd(width)} ${value}\n`).join(''));
  for (const c of plan.changed) cli.out(`  ${t('cli.importXliff.changedRow', { segment: c.segment, before: c.before ?? '', target: c.target })}\n`);
  for (const c of plan.conflicts) cli.out(`  ${t('cli.importXliff.conflictRow', { segment: c.segment, reason: t(`import.reason.${c.reason}`, { defaultValue: c.reason }), here: c.here, theirs: c.theirs })}\n`);
  for (const c of result.changedMeanwhile) cli.out(`  ${t('cli.importXliff.conflictMeanwhile', { segment: c.segment })}\n`);
  for (const u of plan.unknown) {
    const values = { id: u.id, line: u.line === undefined ? undefined : number(u.line), source: u.source.slice(0, 80) };
    cli.out(`  ${t(u.line ? 'cli.importXliff.unknownRowLine' : 'cli.importXliff.unknownRow', values)}\n`);
  }
  for (const s of plan.skipped) cli.out(`  ${t('cli.importXliff.skippedRow', { id: s.id, reason: s.reason })}\n`);
  for (const u of plan.unmappedStates ?? []) cli.out(`  ${t('cli.importXliff.unmapped', { state: u.state, count: u.units, formatted: number(u.units), readAs: u.readAs })}\n`);
  if (!options.dryRun) cli.out(`${t('cli.importXliff.written', { count: result.written, formatted: number(result.written), who: options.who })}\n`);
  return 0;
}

async function onlyDocument(project: Project, cli: Cli): Promise<string> {
  const ids = await project.workbench.documentIds();
  if (ids.length !== 1) throw new WorkbenchError(400, 'usage', ids.length ? cli.t('cli.args.nameDocument', { ids: ids.join(', ') }) : cli.t('cli.args.noDocuments'));
  return ids[0];
}
