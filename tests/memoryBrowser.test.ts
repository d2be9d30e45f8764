import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLocale } from './helpers/app';
import { useBrowserApp } from './helpers/browser';

// A translator opens a paragraph whose near-duplicate was translated in another document: the
// memory shows it under the box, with its score, where it comes from and how its source differs,
// and Ctrl+1 puts it in the box; once saved, it is offered to the same paragraph in another text.
jest.setTimeout(60_000);

const OTHER = `---
title: Another text
language: en
---

The second paragraph, again.
`;

const b = useBrowserApp(undefined, async (t) => {
  writeFileSync(path.join(t.project.sourceDir, 'other.md'), OTHER);
  const [near] = await startLocale(t.api, 'es', 'other');
  await t.api.put(`/api/documents/other/locales/es/segments/${near.id}`).send({ target: 'El segundo párrafo, otra vez.', baseRevision: 0 }).expect(200);
  await startLocale(t.api, 'es', 'small');
  // The paragraph in French, for a translator who reads French better.
  const french = await startLocale(t.api, 'fr', 'small');
  const frenchSecond = french.find((s) => s.source === 'The second paragraph.');
  await t.api.put(`/api/documents/small/locales/fr/segments/${frenchSecond?.id}`).send({ target: 'Le deuxième paragraphe.', baseRevision: 0 }).expect(200);
  // The very paragraph, in a third text, untranslated: a save offers to apply its translation there.
  writeFileSync(path.join(t.project.sourceDir, 'third.md'), '---\ntitle: A third text\nlanguage: en\n---\n\nThe second paragraph.\n');
  await startLocale(t.api, 'es', 'third');
});

it('shows the memory of a focused paragraph and puts a suggestion in the box with Ctrl+1', async () => {
  const page = await b.loggedInPage('admin');
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${b.url}/documents/small/locales/es?filter=untranslated`);
  const unit = page.locator('.unit', { hasText: 'The second paragraph.' });
  const box = unit.locator('textarea[name="target"]');
  await box.click();
  const memory = unit.locator('.memory');
  await memory.locator('li').first().waitFor();
  // "The second paragraph, again." against "The second paragraph.": one word of four.
  expect(await memory.locator('.memory-score').first().textContent()).toBe('75%');
  expect(await memory.locator('.memory-target').first().textContent()).toBe('El segundo párrafo, otra vez.');
  expect(await memory.locator('.memory-origin a').first().getAttribute('href')).toMatch(/^\/documents\/other\/locales\/es\/segments\/s[0-9a-f]{8}\/history$/);
  expect((await memory.locator('.memory-diff del').allTextContents()).join('')).toContain('again');
  // The same paragraph in French, with its state and who wrote it.
  const french = unit.locator('.other-languages');
  await french.locator('dd').first().waitFor();
  expect(await french.locator('dd').first().textContent()).toBe('Le deuxième paragraphe.');
  expect(await french.locator('dt').first().textContent()).toMatch(/^français Translated by admin$/);
  await box.focus();
  await page.keyboard.press('Control+1');
  expect(await box.inputValue()).toBe('El segundo párrafo, otra vez.');
  // The box is changed, not saved: the translator edits and saves as usual.
  await page.keyboard.press('End');
  await page.keyboard.press('Control+Enter');
  await unit.locator('[data-status]').filter({ hasText: 'Saved' }).waitFor();
  // The same source in the third text has no translation: offered, applied on a click.
  await unit.getByRole('button', { name: 'Apply this translation to 1 other paragraph with the same source' }).click();
  await unit.locator('.propagate [role="status"]').filter({ hasText: 'Applied to 1 other paragraph.' }).waitFor();
  const third = (await b.t.api.get('/api/documents/third/locales/es/segments').expect(200)).body.segments;
  expect(third[0]).toMatchObject({ target: 'El segundo párrafo, otra vez.', state: 'translated' });
  // A check of a saved translation shows at once, and a translator dismisses a warning.
  const last = page.locator('.unit', { hasText: 'The last paragraph.' });
  await last.locator('textarea[name="target"]').fill('El  último párrafo.');
  await last.locator('textarea[name="target"]').press('Control+Enter');
  const doubleSpace = last.locator('ul.checks li[data-check="double-space"]');
  await doubleSpace.waitFor();
  expect(await doubleSpace.textContent()).toContain('Two spaces in a row.');
  await doubleSpace.getByRole('button', { name: 'Dismiss' }).click();
  await doubleSpace.waitFor({ state: 'detached' });
  expect((await b.t.api.get('/api/documents/small/locales/es/checks').expect(200)).body.checks).toEqual([]);
  // Alt+↓ moves to the next paragraph, Alt+↑ back; Ctrl+Shift+C puts the source in the box.
  await box.focus();
  const focusedAt = (): Promise<number> => page.evaluate(() => Array.from(document.querySelectorAll('textarea[name="target"]')).indexOf(document.activeElement as HTMLTextAreaElement));
  const here = await focusedAt();
  const focusOn = (i: number) => page.waitForFunction((at) => Array.from(document.querySelectorAll('textarea[name="target"]')).indexOf(document.activeElement as HTMLTextAreaElement) === at, i);
  await page.keyboard.press('Alt+ArrowDown');
  await focusOn(here + 1);
  await page.keyboard.press('Alt+ArrowUp');
  await focusOn(here);
  await page.keyboard.press('Control+Shift+C');
  expect(await box.inputValue()).toBe('The second paragraph.');
  expect(errors).toEqual([]);
});
