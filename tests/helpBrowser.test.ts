import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { addAccount, startLocale } from './helpers/app';
import { useBrowserApp } from './helpers/browser';

// Help at every paragraph, end to end in Chromium: a translator opens a paragraph whose
// near-duplicate (two words changed) was translated in another document, sees the match with its
// score and diff, inserts it with Ctrl+1, sees a glossary term underlined and a forbidden-term error
// once the forbidden word is typed and saved; a reviewer cannot approve it then; the translator fixes
// it, searches the project for a word and replaces it in two paragraphs.
jest.setTimeout(90_000);

const EARLIER = `---
title: An earlier edition
language: en
---

The workers of the commune took the town hall in the evening.
`;

const BOOK = `---
title: The book
language: en
---

# Chapter one

The workers of the commune took the city hall in the morning.

Then the commune held the hall for days.
`;

const b = useBrowserApp(undefined, async (t) => {
  writeFileSync(path.join(t.project.sourceDir, 'earlier.md'), EARLIER);
  writeFileSync(path.join(t.project.sourceDir, 'book.md'), BOOK);
  const [earlier] = await startLocale(t.api, 'es', 'earlier');
  await t.api.put(`/api/documents/earlier/locales/es/segments/${earlier.id}`).send({ target: 'Los obreros de la comuna tomaron el ayuntamiento por la tarde.', baseRevision: 0 }).expect(200);
  const book = await startLocale(t.api, 'es', 'book');
  const held = book.find((s) => s.source.startsWith('Then the commune'));
  await t.api.put(`/api/documents/book/locales/es/segments/${held?.id}`).send({ target: 'Luego la comuna ocupó el ayuntamiento durante días.', baseRevision: 0 }).expect(200);
  await addAccount(t.app, t.project, 'tina', [{ kind: 'translator', locale: 'es' }]);
  await addAccount(t.app, t.project, 'rita', [{ kind: 'reviewer', locale: 'es' }]);
  await t.api.post('/api/glossary/es/terms').send({ source: 'commune', translations: ['comuna'], forbidden: ['comunidad'], note: 'The Paris Commune and its like.' }).expect(201);
});

it('memory, glossary, checks, search and replace, and a blocked approval, as a translator and a reviewer use them', async () => {
  const page = await b.loggedInPage('tina');
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${b.url}/documents/book/locales/es?filter=untranslated`);
  const unit = page.locator('.unit', { hasText: 'took the city hall' });
  const box = unit.locator('textarea[name="target"]');

  // The term is underlined in the source, its translations on hover.
  const term = unit.locator('.source .term');
  expect(await term.textContent()).toBe('commune');
  expect(await term.getAttribute('data-tip')).toBe('comuna\nnot: comunidad');

  // The memory: the near-duplicate, two of twelve words changed, with the diff of the sources.
  await box.click();
  const memory = unit.locator('.memory');
  await memory.locator('li').first().waitFor();
  expect(await memory.locator('.memory-score').first().textContent()).toBe('83%');
  expect(await memory.locator('.memory-target').first().textContent()).toBe('Los obreros de la comuna tomaron el ayuntamiento por la tarde.');
  expect(await memory.locator('.memory-diff del').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('town'), expect.stringContaining('evening')]));
  expect(await memory.locator('.memory-diff ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('city'), expect.stringContaining('morning')]));
  // The Terms panel lists the term with its note.
  const terms = unit.locator('.terms');
  await terms.locator('dt').first().waitFor();
  expect(await terms.locator('dt').first().textContent()).toBe('commune');
  expect(await terms.textContent()).toContain('The Paris Commune and its like.');

  // Inserted with the keyboard, edited, saved with the forbidden word: an error at the paragraph.
  await box.focus();
  await page.keyboard.press('Control+1');
  expect(await box.inputValue()).toBe('Los obreros de la comuna tomaron el ayuntamiento por la tarde.');
  await box.fill('Los obreros de la comunidad tomaron el ayuntamiento por la mañana.');
  await box.press('Control+Enter');
  const forbidden = unit.locator('ul.checks li[data-check="forbidden-term"]');
  await forbidden.waitFor();
  expect(await forbidden.textContent()).toContain('A forbidden translation is used: “comunidad” (commune).');

  // A reviewer cannot approve it while the error is open: the review page says so at the paragraph.
  const reviewer = await b.loggedInPage('rita');
  await reviewer.goto(`${b.url}/documents/book/locales/es/review`);
  const queued = reviewer.locator('.review-unit', { hasText: 'comunidad' });
  expect(await queued.locator('ul.checks li[data-check="forbidden-term"]').count()).toBe(1);
  await queued.getByRole('button', { name: 'Approve' }).click();
  await reviewer.locator('.review-unit', { hasText: 'comunidad' }).locator('[role="alert"]').filter({ hasText: 'Not approved' }).waitFor();
  const stillTranslated = (await b.t.api.get('/api/documents/book/locales/es/segments').expect(200)).body.segments.find((s: { source: string }) => s.source.includes('city hall'));
  expect(stillTranslated.state).toBe('translated');

  // Fixed: the error goes.
  await box.fill('Los obreros de la comuna tomaron el ayuntamiento por la mañana.');
  await box.press('Control+Enter');
  await unit.locator('[data-status]').filter({ hasText: 'Saved' }).waitFor();
  await forbidden.waitFor({ state: 'detached' });

  // Search the whole project for a word, then replace it in this document's two paragraphs.
  await page.goto(`${b.url}/search?q=ayuntamiento&in=target`);
  expect(await page.locator('.search-total').textContent()).toContain('3 paragraphs found.');
  await page.goto(`${b.url}/search?q=ayuntamiento&in=target&lang=es&doc=book`);
  await page.locator('details.replace summary').click();
  await page.locator('details.replace input[name="replace"]').fill('concejo');
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByText('2 translations would change').waitFor();
  await page.getByRole('button', { name: 'Replace in 2 translations' }).click();
  await page.getByText('Replaced in 2 translations.').waitFor();
  const book = (await b.t.api.get('/api/documents/book/locales/es/segments').expect(200)).body.segments.filter((s: { target: string | null }) => s.target);
  expect(book.map((s: { target: string }) => s.target)).toEqual(['Los obreros de la comuna tomaron el concejo por la mañana.', 'Luego la comuna ocupó el concejo durante días.']);
  expect(errors).toEqual([]);
});
