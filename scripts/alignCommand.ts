import path from 'node:path';
import type { AlignmentPreview } from '../server/application/alignments';
import type { Project } from '../server/application/createWorkbench';
import { progressLine, type Cli } from './cliIo';
import { readInput } from './readInput';

/**
 * `workbench align <doc> <lang> <file> [--dry-run] [--json]`: aligns a published translation with
 * the document and, unless --dry-run, fills the language with it (paragraphs already translated
 * are kept). The preview lists every link, lowest confidence first.
 */
export async function alignCommand(project: Project, args: { doc: string; lang: string; file: string; dryRun: boolean; json: boolean; who: string }, cli: Cli): Promise<number> {
  const { t, number } = cli;
  const bytes = await readInput(args.file);
  const name = path.basename(args.file);
  const progress = progressLine(cli);
  progress.say(t('cli.align.aligning', { file: name, document: args.doc, lang: args.lang }));
  if (args.dryRun) {
    const preview = await project.alignments.preview(args.doc, args.lang, bytes, { name, who: args.who, dryRun: true }).finally(() => progress.done());
    cli.out(args.json ? `${JSON.stringify(preview, null, 2)}\n` : previewText(preview, cli));
    return 0;
  }
  const result = await project.alignments.alignNow(args.doc, args.lang, bytes, { name, who: args.who }).finally(() => progress.done());
  if (args.json) {
    cli.out(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  cli.out(previewText(result.preview, cli));
  const paragraphs = t('cli.paragraphs', { count: result.written, formatted: number(result.written) });
  const values = { name, lang: result.lang, paragraphs, who: args.who, needsWork: number(result.needsWork) };
  cli.out(`${t(result.needsWork ? 'cli.align.alignedNeedsWork' : 'cli.align.aligned', values)}\n`);
  const kept = result.conflicts.filter((c) => c.reason === 'translated').length;
  const since = result.conflicts.filter((c) => c.reason === 'saved-since').length;
  if (kept) cli.out(`${t('cli.align.kept', { count: kept, formatted: number(kept) })}\n`);
  if (since) cli.out(`${t('cli.align.since', { count: since, formatted: number(since) })}\n`);
  return 0;
}

/** A preview as text: the counts, then each link, lowest confidence first. */
function previewText(preview: AlignmentPreview, cli: Cli): string {
  const { t, number } = cli;
  const { counts } = preview;
  const kinds = Object.entries(counts.byKind)
    .map(([k, n]) => `${k}: ${number(n)}`)
    .join(', ');
  const lines = [
    t('cli.align.preview', {
      name: preview.name,
      document: preview.document,
      lang: preview.lang,
      links: number(counts.links),
      sourceBlocks: number(counts.sourceBlocks),
      targetBlocks: number(counts.targetBlocks),
      kinds,
      doubtful: number(counts.doubtful),
    }),
  ];
  if (preview.conflicts.length) lines.push(t('cli.align.conflicts', { count: preview.conflicts.length, formatted: number(preview.conflicts.length) }));
  const cut = (text: string): string => (text.length > 70 ? `${text.slice(0, 69)}…` : text);
  const none = t('cli.align.none');
  for (const index of preview.review) {
    const link = preview.links[index];
    lines.push(`#${index + 1} ${link.kind} ${cli.percent(link.confidence).padStart(4)}  ${link.source.map((s) => cut(s.text)).join(' + ') || none}  ⇒  ${link.target.map(cut).join(' + ') || none}`);
  }
  return `${lines.join('\n')}\n`;
}
