import path from 'node:path';
import type { Project } from '../server/application/createWorkbench';
import { isWorkbenchError, WorkbenchError } from '../server/errors';
import { writeFileAtomic } from '../server/storage/writeFileAtomic';
import { readInput } from './readInput';
import { progressLine, type CliIo } from './cliIo';

/** `workbench export`: writes an edition or interchange file; exit 1 with the missing list when an edition is incomplete and not a draft. */
export async function exportCommand(
  project: Project,
  options: { doc?: string; locale?: string; format?: string; out?: string; draft: boolean; force?: boolean; who: string },
  io: CliIo,
): Promise<number> {
  if (!options.locale || !options.format) throw new WorkbenchError(400, 'usage', 'export needs --locale <code> and --format epub|html|md|txt|xliff|xliff2|tmx|original.');
  const doc = options.doc ?? (await onlyDocument(project));
  let exported;
  const progress = progressLine(io);
  progress.say(`Making the ${options.format} of ${doc} (${options.locale})…`);
  try {
    exported = await project.editions.export(doc, options.locale, options.format, { draft: options.draft, force: options.force, who: options.who });
  } catch (err) {
    progress.done();
    if (!isWorkbenchError(err) || err.code !== 'edition-incomplete') throw err;
    const missing = (err.details as { missing: { id: string; reason: string; source: string }[] }).missing;
    io.err(`workbench: ${err.message}\n`);
    for (const m of missing) io.err(`  ${m.reason.padEnd(13)} ${m.id}  ${m.source}\n`);
    io.err('Add --draft to export it anyway, marked as a draft.\n');
    return 1;
  }
  progress.done();
  if (options.out === '-') {
    if (options.format === 'epub') throw new WorkbenchError(400, 'usage', 'An EPUB is binary: give --out <file>.');
    io.out(Buffer.from(exported.body).toString('utf8'));
    return 0;
  }
  const file = path.resolve(options.out ?? exported.fileName);
  await writeFileAtomic(file, exported.body);
  io.out(`Wrote ${file} (${exported.record.format}${exported.record.draft ? `, draft, ${exported.record.percent}% complete` : ''}, source version ${exported.record.sourceVersion})\n`);
  return 0;
}

/** `workbench import-xliff`: merges an XLIFF file translated elsewhere; with --dry-run only says what it would do. */
export async function importXliffCommand(
  project: Project,
  file: string,
  options: { doc?: string; locale?: string; dryRun: boolean; who: string },
  io: CliIo,
): Promise<number> {
  const bytes = await readInput(file);
  const name = path.basename(file);
  const xliff = await project.imports.read(bytes, name);
  const target = await project.imports.targetOf(xliff, name, { document: options.doc, locale: options.locale });
  const result = await project.imports.merge(target.document, target.locale, xliff, { name, who: options.who, dryRun: options.dryRun });
  const { plan } = result;
  const conflicts = plan.conflicts.length + result.changedMeanwhile.length;
  io.out(`${options.dryRun ? 'Would import' : 'Imported'} ${name} (XLIFF ${plan.fileVersion}) into ${target.document} ${target.locale}:\n`);
  io.out(`  new translations  ${plan.newTranslations.length}\n  changed           ${plan.changed.length}\n  conflicts         ${conflicts} (not imported)\n  unchanged         ${plan.unchanged}\n  empty in the file ${plan.emptyInFile}\n  unknown here      ${plan.unknown.length}\n  skipped           ${plan.skipped.length}\n`);
  for (const c of plan.changed) io.out(`  changed  ${c.segment}: ${c.before ?? ''} → ${c.target}\n`);
  for (const c of plan.conflicts) io.out(`  conflict ${c.segment} (${c.reason}): here "${c.here}", file "${c.theirs}"\n`);
  for (const c of result.changedMeanwhile) io.out(`  conflict ${c.segment} (saved here meanwhile)\n`);
  for (const u of plan.unknown) io.out(`  unknown  ${u.id}${u.line ? ` (line ${u.line})` : ''}: ${u.source.slice(0, 80)}\n`);
  for (const s of plan.skipped) io.out(`  skipped  ${s.id}: ${s.reason}\n`);
  for (const u of plan.unmappedStates ?? []) io.out(`  state without a meaning here: ${u.state} (${u.units} unit${u.units === 1 ? '' : 's'}), read as ${u.readAs}\n`);
  if (!options.dryRun) io.out(`${result.written} paragraphs written, one history entry each, credited to ${options.who}.\n`);
  return 0;
}

async function onlyDocument(project: Project): Promise<string> {
  const ids = await project.workbench.documentIds();
  if (ids.length !== 1) throw new WorkbenchError(400, 'usage', `Name the document with --doc: ${ids.join(', ') || 'there are none'}.`);
  return ids[0];
}
