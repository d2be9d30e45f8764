import path from 'node:path';
import { useBrowserApp } from './helpers/browser';
import { makeManifestoProject } from './helpers/project';
import { validateXliff12 } from './helpers/xmllint';

// A translator's first visit: start Spanish, translate, save with Ctrl+Enter, reload, find it there.
jest.setTimeout(60_000);

const b = useBrowserApp(makeManifestoProject);

it('a translator starts Spanish, translates with Ctrl+Enter, reloads and sees the translation', async () => {
  const page = await b.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));

  await b.logIn(page, 'admin');
  await page.getByLabel('Start a new language').fill('es');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.waitForURL(/\/documents\/communard-manifesto\/locales\/es$/);

  // The opening section holds the dedication; go to the first real section.
  await page.getByRole('link', { name: 'The dilemma of our time' }).first().click();
  await page.waitForURL(/section=1/);

  const units = page.locator('.unit[data-state]');
  const fields = page.locator('textarea[name="target"]');
  await fields.nth(0).click();
  await page.keyboard.type('El dilema de nuestro tiempo');
  await page.keyboard.press('Control+Enter');

  const firstUnit = units.nth(0);
  await firstUnit.locator('[data-status]').filter({ hasText: 'Saved' }).waitFor();
  await expectBadge(firstUnit, 'Translated');
  // Ctrl+Enter moved the cursor to the next paragraph.
  await expect(fields.nth(1)).toBeFocusedSoon();
  // Progress updated without a reload.
  expect(await page.locator('[data-count="translated"]').first().textContent()).toBe('1');

  // A changed field is saved when the translator leaves it.
  await page.keyboard.type('La abundancia al alcance');
  await fields.nth(2).click();
  await units.nth(1).locator('[data-status]').filter({ hasText: 'Saved' }).waitFor();

  await page.reload();
  expect(await fields.nth(0).inputValue()).toBe('El dilema de nuestro tiempo');
  expect(await fields.nth(1).inputValue()).toBe('La abundancia al alcance');
  expect(errors).toEqual([]);

  const file = path.join(b.t.project.localesDir, 'es', 'communard-manifesto.xlf');
  expect(b.t.project.read('locales/es/communard-manifesto.xlf')).toContain('<target state="translated">El dilema de nuestro tiempo</target>');
  expect(validateXliff12(file).valid).toBe(true);
});

async function expectBadge(unit: ReturnType<import('playwright-core').Page['locator']>, text: string): Promise<void> {
  await unit.locator('[data-badge]').filter({ hasText: text }).waitFor();
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeFocusedSoon(): Promise<R>;
    }
  }
}

expect.extend({
  async toBeFocusedSoon(locator: import('playwright-core').Locator) {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (await locator.evaluate((el) => el === document.activeElement)) return { pass: true, message: () => 'focused' };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { pass: false, message: () => 'the element did not get the focus within 5 s' };
  },
});

it('warns before leaving a page with an unsaved translation, and stays when the translator says so', async () => {
  const page = await b.loggedInPage('admin');
  await page.goto(`${b.url}/documents/communard-manifesto/locales/es?section=2`);
  const field = page.locator('textarea[name="target"]').nth(0);
  await field.click();
  await page.keyboard.type('Texto sin guardar');
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss();
  });
  // Navigate without leaving the field first (a blur would save it).
  await page.evaluate(() => {
    (document.querySelector('a[rel="next"]') as HTMLAnchorElement).click();
  });
  await page.waitForTimeout(500);
  expect(dialogs).toEqual(['beforeunload']);
  expect(page.url()).toMatch(/section=2$/);
  expect(await field.inputValue()).toBe('Texto sin guardar');
});

it('an editor uploads a new source; a translator sees the diff of the drifted paragraph and marks it still correct', async () => {
  const api = (url: string, method = 'GET', body?: unknown) =>
    fetch(`${b.url}${url}`, { method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${b.t.admin.token}` }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());
  await api('/api/documents/communard-manifesto/locales', 'POST', { code: 'fr' });
  const { segments } = await api('/api/documents/communard-manifesto/locales/fr/segments');
  const never = segments.find((s: { source: string }) => s.source.startsWith('Never before in History of humanity'));
  await api(`/api/documents/communard-manifesto/locales/fr/segments/${never.id}`, 'PUT', { target: 'Jamais auparavant dans l’histoire…', baseRevision: 0 });

  const edited = b.t.project.read('source/communard-manifesto.md').replace('Never before in History of humanity', 'Never before in the long history of humanity');
  b.t.project.write('upload/communard-manifesto.md', edited);

  const page = await b.loggedInPage('admin');
  await page.goto(`${b.url}/documents/communard-manifesto`);
  await page.setInputFiles('#source-file', path.join(b.t.project.dir, 'upload/communard-manifesto.md'));
  await page.getByRole('button', { name: 'Update the source' }).click();
  // A preview first: what the new text changes, per language; applied only when asked.
  await page.getByRole('heading', { name: /A new source text/ }).waitFor();
  expect(await page.locator('tr[data-locale="fr"] [data-drifting]').textContent()).toBe('1');
  await page.getByRole('button', { name: 'Apply: make it version 2' }).click();
  await page.waitForURL(/version=2/);
  expect(await page.locator('[data-label-count="edited"]').textContent()).toBe('1');

  await page.goto(`${b.url}/documents/communard-manifesto/locales/fr?filter=drifted`);
  const unit = page.locator(`#seg-${never.id}`);
  expect(await unit.locator('.diff del').allTextContents()).toEqual(['History']);
  expect(await unit.locator('.diff ins').allTextContents()).toEqual(['the long history']);
  expect(await unit.locator('textarea[name="target"]').inputValue()).toBe('Jamais auparavant dans l’histoire…');
  // The changed source shows once, as its diff; Still correct sits beside the box and confirms in place.
  expect(await unit.locator('.source > :not([data-drift])').count()).toBe(0);
  expect(await unit.locator('form[data-still-correct]').evaluate((form) => form.previousElementSibling?.matches('form.target'))).toBe(true);
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await unit.getByRole('button', { name: 'Still correct' }).click();
  await expectBadge(unit, 'Translated');
  expect(await unit.locator('[data-drift]').count()).toBe(0);
  expect(await unit.locator('form[data-still-correct]').count()).toBe(0);
  expect(await unit.locator('.source').textContent()).toContain('the long history');
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await page.reload();
  await page.locator('.empty').waitFor();

  const after = await api(`/api/documents/communard-manifesto/locales/fr/segments?state=translated`);
  expect(after.segments.map((s: { id: string }) => s.id)).toEqual([never.id]);
});
