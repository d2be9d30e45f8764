import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../scripts/workbench';
import { useTestApp } from './helpers/app';
import { teamLocale } from './helpers/edition';
import { SMALL_DOC } from './helpers/project';
import { pocount, requireTranslateToolkit } from './helpers/translateToolkit';

const t = useTestApp();

async function cli(...args: string[]): Promise<string> {
  let out = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (out += s), env: { WORKBENCH_DATA: t.project.dir } });
  expect(code).toBe(0);
  return out;
}

it('pocount on the exported XLIFF 1.2 agrees with `workbench status` through a real review: approved, translated, sent back, drifted, untranslated', async () => {
  requireTranslateToolkit();
  const team = await teamLocale(t, { translate: 6, approve: 3 });
  const base = '/api/documents/small/locales/es/segments';
  await team.bruno.post(`${base}/${team.ids[3]}/reject`).send({ baseRevision: 1, comment: 'Un título, no una frase.' }).expect(200);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-pocount-'));
  writeFileSync(path.join(dir, 'small.md'), SMALL_DOC.replace('The first paragraph, with', 'The first paragraph, now with'));
  await cli('update-source', 'small', path.join(dir, 'small.md'));

  const status = JSON.parse(await cli('status', '--json')).documents[0].locales[0];
  expect(status).toMatchObject({ code: 'es', approved: 2, translated: 2, 'needs-work': 1, drifted: 1, untranslated: 2, total: 8 });
  const file = path.join(dir, 'es.xlf');
  await cli('export', '--locale', 'es', '--format', 'xliff', '--out', file);
  const counted = pocount(file);
  expect(counted.translated.strings).toBe(status.approved);
  expect(counted.fuzzy.strings).toBe(status.translated + status.drifted + status['needs-work']);
  expect(counted.untranslated.strings).toBe(status.untranslated);
  expect(counted.total.strings).toBe(status.total);
});
