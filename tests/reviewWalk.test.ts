import { PASSWORD } from './helpers/app';
import { useBrowserApp } from './helpers/browser';

// The whole review, in a browser: the admin adds a translator and a reviewer; three paragraphs are
// translated; one is approved, one sent back with a comment, one gets a suggestion; the translator
// fixes and accepts; the reviewer approves; the history names everyone.
jest.setTimeout(90_000);

const b = useBrowserApp();

it('walks the whole review with names in the history', async () => {
  const admin = await b.loggedInPage('admin');
  await admin.goto(`${b.url}/admin/users`);
  // No document has Spanish yet: Tina's role is typed; once someone has a role in it, Spanish is a column of checkboxes.
  const form = admin.locator('form.add-user');
  await form.getByLabel('Name').fill('Tina');
  await form.getByLabel('Roles in other languages').fill('translator:es');
  await form.getByLabel('Password (at least 10 characters)').fill(PASSWORD);
  await form.getByRole('button', { name: 'Add' }).click();
  await admin.getByText('Tina can now log in.').waitFor();
  await form.getByLabel('Name').fill('Rafa');
  await form.getByRole('checkbox', { name: 'reviewer of es' }).check();
  await form.getByLabel('Password (at least 10 characters)').fill(PASSWORD);
  await form.getByRole('button', { name: 'Add' }).click();
  await admin.getByText('Rafa can now log in.').waitFor();
  await admin.goto(`${b.url}/`);
  await admin.getByLabel('Start a new language').fill('es');
  await admin.getByRole('button', { name: 'Start' }).click();
  await admin.waitForURL(/locales\/es$/);

  // The translator translates the three paragraphs of the first section after its heading.
  const tina = await b.loggedInPage('Tina');
  await tina.goto(`${b.url}/documents/small/locales/es`);
  const fields = tina.locator('textarea[name="target"]');
  const texts = ['El primer párrafo, con un [enlace](https://example.org/a).', 'El segundo párrafo.', 'Una subsección'];
  for (const [i, text] of texts.entries()) {
    await fields.nth(i + 1).fill(text);
    await fields.nth(i + 1).press('Control+Enter');
    await tina.locator('.unit[data-state]').nth(i + 1).locator('[data-badge]').filter({ hasText: 'Translated' }).waitFor();
  }

  // The reviewer reads them as a text: approves one, sends one back, suggests a wording for the third.
  const rafa = await b.loggedInPage('Rafa');
  await rafa.goto(`${b.url}/documents/small/locales/es/review`);
  const units = rafa.locator('.review-unit');
  const first = units.filter({ hasText: 'El primer párrafo' });
  await first.getByRole('button', { name: 'Approve' }).click();
  await rafa.locator('.review-unit.approved').waitFor();
  const second = units.filter({ hasText: 'El segundo párrafo.' });
  await second.getByText('Send back…').click();
  await second.getByLabel('What needs to change').fill('Falta el artículo: «El segundo párrafo del texto».');
  await second.getByRole('button', { name: 'Send back' }).click();
  await rafa.locator('.review-unit.sent-back').waitFor();
  await rafa.goto(`${b.url}/documents/small/locales/es`);
  const third = rafa.locator('.unit[data-state]').nth(3);
  await third.getByText('Suggest or ask').click();
  await third.getByLabel('Another wording').fill('Un apartado');
  await rafa.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await third.getByRole('button', { name: 'Suggest' }).click();
  // In place: the suggestion shows at the paragraph, the page stays.
  await third.locator('.suggestion').filter({ hasText: 'Un apartado' }).waitFor();
  expect(await rafa.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  // The translator sees the comment, fixes the paragraph, and accepts the suggestion.
  await tina.goto(`${b.url}/documents/small/locales/es?filter=needs-work`);
  await tina.getByText('Rafa: Falta el artículo').waitFor();
  const fix = tina.locator('textarea[name="target"]').first();
  await fix.fill('El segundo párrafo del texto.');
  await fix.press('Control+Enter');
  await tina.locator('.unit[data-state]').first().locator('[data-status]').filter({ hasText: 'Saved' }).waitFor();
  await tina.goto(`${b.url}/documents/small/locales/es`);
  await tina.locator('.suggestion').filter({ hasText: 'Un apartado' }).getByRole('button', { name: 'Accept' }).click();
  await tina.locator('.unit[data-state]').nth(3).locator('[data-status]').filter({ hasText: 'Suggestion accepted.' }).waitFor();
  expect(await tina.locator('textarea[name="target"]').nth(3).inputValue()).toBe('Un apartado');
  expect(await tina.locator('.suggestion').filter({ hasText: 'Un apartado' }).count()).toBe(0);
  await tina.reload();
  expect(await tina.locator('textarea[name="target"]').nth(3).inputValue()).toBe('Un apartado');

  // The reviewer approves the fixed paragraph (the suggestion is the reviewer's own words: another reviewer would approve it).
  await rafa.goto(`${b.url}/documents/small/locales/es/review`);
  await units.filter({ hasText: 'El segundo párrafo del texto.' }).getByRole('button', { name: 'Approve' }).click();
  await rafa.locator('.review-unit.approved').waitFor();

  // The history of the sent-back paragraph shows every step with names.
  const id = await tina.locator('.unit[data-state]').nth(2).getAttribute('data-id');
  await tina.goto(`${b.url}/documents/small/locales/es/segments/${id}/history`);
  const steps = await tina.locator('.history > li > p:first-child').allTextContents();
  expect(steps.map((s) => s.replace(/\s+/g, ' ').split(' · ').slice(0, 2).join(' · '))).toEqual([
    'Rafa · approved',
    'Tina · translated',
    'Rafa · sent back',
    'Tina · translated',
  ]);
  await tina.goto(`${b.url}/documents/small/locales/es/activity`);
  await tina.getByRole('cell', { name: 'Rafa' }).waitFor();
});
