import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AlignmentPreview } from '../server/application/alignments';
import type { Project } from '../server/application/createWorkbench';
import type { CliIo } from './cliIo';

/**
 * `workbench align <doc> <lang> <file> [--dry-run] [--json]`: aligns a published translation with
 * the document and, unless --dry-run, fills the language with it (paragraphs already translated
 * are kept). The preview lists every link, lowest confidence first.
 */
export async function alignCommand(project: Project, args: { doc: string; lang: string; file: string; dryRun: boolean; json: boolean; who: string }, io: CliIo): Promise<number> {
  const bytes = await readFile(args.file);
  const name = path.basename(args.file);
  if (args.dryRun) {
    const preview = await project.alignments.preview(args.doc, args.lang, bytes, { name, who: args.who, dryRun: true });
    io.out(args.json ? `${JSON.stringify(preview, null, 2)}\n` : previewText(preview));
    return 0;
  }
  const result = await project.alignments.alignNow(args.doc, args.lang, bytes, { name, who: args.who });
  if (args.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  io.out(previewText(result.preview));
  io.out(`Aligned ${name} into ${result.lang}: ${result.written} paragraphs written (translated, credited to ${args.who})${result.needsWork ? `, ${result.needsWork} of them covered by the paragraph before and marked as needing work` : ''}.\n`);
  const kept = result.conflicts.filter((c) => c.reason === 'translated').length;
  const since = result.conflicts.filter((c) => c.reason === 'saved-since').length;
  if (kept) io.out(`${kept} paragraphs already had a translation and were kept (confirm from the web preview to replace them).\n`);
  if (since) io.out(`${since} paragraphs were saved meanwhile and were kept.\n`);
  return 0;
}

/** A preview as text: the counts, then each link, lowest confidence first. */
function previewText(preview: AlignmentPreview): string {
  const lines = [
    `${preview.name} → ${preview.document} (${preview.lang}): ${preview.counts.links} links between ${preview.counts.sourceBlocks} paragraphs and ${preview.counts.targetBlocks} blocks of the translation; ${Object.entries(preview.counts.byKind).map(([k, n]) => `${k}: ${n}`).join(', ')}; ${preview.counts.doubtful} doubtful.`,
  ];
  if (preview.conflicts.length) lines.push(`${preview.conflicts.length} paragraphs already have a translation here.`);
  const cut = (text: string): string => (text.length > 70 ? `${text.slice(0, 69)}…` : text);
  for (const index of preview.review) {
    const link = preview.links[index];
    lines.push(`#${index + 1} ${link.kind} ${(link.confidence * 100).toFixed(0).padStart(3)}%  ${link.source.map((s) => cut(s.text)).join(' + ') || '(none)'}  ⇒  ${link.target.map(cut).join(' + ') || '(none)'}`);
  }
  return `${lines.join('\n')}\n`;
}
