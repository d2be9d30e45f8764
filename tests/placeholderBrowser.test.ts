import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useBrowserApp } from './helpers/browser';
import { makeProject } from './helpers/project';

// In the editor, another tool's codes are whole (issue 14, point 8): chips in the source, and in
// the translation box a deletion or keystroke that would cut into a placeholder selects it instead.

const memoq = readFileSync(path.join(__dirname, 'fixtures', 'interchange', 'producers', 'memoq.MQ-12-Test01.mqxliff'), 'utf8');
const b = useBrowserApp(
  () => makeProject({ 'rainbow.xlf': memoq }),
  async (t) => {
    await t.api.post('/api/documents/rainbow/locales').send({ code: 'fr' }).expect(201);
  },
);

it('shows the codes as chips and keeps each placeholder whole in the translation box', async () => {
  const segments = (await b.t.api.get('/api/documents/rainbow/locales/fr/segments').expect(200)).body.segments as { id: string; source: string }[];
  const coded = segments.find((s) => /^<g1>Input List 1<\/g1>$/.test(s.source)) as { id: string; source: string };
  expect(coded).toBeDefined();
  const page = await b.loggedInPage('admin');
  await page.goto(`${b.url}/documents/rainbow/locales/fr/paragraph/${coded.id}`);
  await expect(page.locator(`#seg-${coded.id}-source .code-chip`).allTextContents()).resolves.toEqual(['g1', '/g1']);

  const box = page.locator(`#t-${coded.id}`);
  await box.fill('<g1>Liste 1</g1>');
  // The caret after "</g1>": Backspace selects the whole placeholder, and leaves the text as it is.
  await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(el.value.length, el.value.length));
  await box.press('Backspace');
  expect(await box.inputValue()).toBe('<g1>Liste 1</g1>');
  expect(await box.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd))).toBe('</g1>');
  // A second Backspace takes it out whole.
  await box.press('Backspace');
  expect(await box.inputValue()).toBe('<g1>Liste 1');
  // Typing inside a placeholder selects it instead of cutting it.
  await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(2, 2));
  await box.press('z');
  expect(await box.inputValue()).toBe('<g1>Liste 1');
  expect(await box.evaluate((el: HTMLTextAreaElement) => [el.selectionStart, el.selectionEnd])).toEqual([0, 4]);
  await page.context().close();
});
