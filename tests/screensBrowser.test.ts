import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { addAccount, startLocale } from './helpers/app';
import { useBrowserApp } from './helpers/browser';
import { makeManifestoProject, REPO_ROOT } from './helpers/project';

// The screens as people use them, in Chromium at a phone's size and a laptop's: nothing wider than
// the screen, no accessibility violation axe-core can find (in English and Spanish), the keyboard
// path from the top of the editor to the work and through a section, counts kept right without a
// reload, and only the actions a person may take. Screenshots of every page at both sizes are
// written to test-output/screens/ for a person to look at (not committed).
jest.setTimeout(120_000);

const DOC = 'communard-manifesto';
const BASE = `/documents/${DOC}/locales/es`;
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1366, height: 900 },
] as const;
const SHOTS = path.join(REPO_ROOT, 'test-output', 'screens');
const AXE = path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');

let translatedId = '';

const b = useBrowserApp(makeManifestoProject, async (t) => {
  const segments = await startLocale(t.api, 'es', DOC);
  // A few translations, so that the review queue, a history and the edition have something to show.
  const opening = segments.slice(0, 3);
  for (const s of opening) {
    await t.api.put(`/api/${BASE.slice(1)}/segments/${s.id}`).send({ target: `Traducción de ${s.id}`, baseRevision: 0 }).expect(200);
  }
  translatedId = opening[0].id;
  await addAccount(t.app, t.project, 'tina', [{ kind: 'translator', locale: 'es' }]);
  await addAccount(t.app, t.project, 'rosa', [{ kind: 'reviewer', locale: 'es' }]);
});

/** A page of its own browser context at `size`, logged in as `name` (none: anonymous). */
async function pageAt(size: { width: number; height: number }, name?: string, bypassCSP = false): Promise<Page> {
  const context = await b.browser.newContext({ viewport: { width: size.width, height: size.height }, bypassCSP });
  const page = await context.newPage();
  if (name) await b.logIn(page, name);
  return page;
}

/** How far the page is wider than its screen (0: no horizontal scroll), and what sticks out. */
async function overflowOf(page: Page): Promise<{ by: number; wide: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { by: document.documentElement.scrollWidth - width, wide };
  });
}

/** What axe-core finds wrong on the page (WCAG 2.2 A and AA, and its best practices): rule ids with the elements. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** The pages the layout tests visit (after the app is prepared). */
const pagesToCheck = (): Record<string, string> => ({
  dashboard: '/',
  editor: `${BASE}?section=1`,
  review: `${BASE}/review`,
  edition: `${BASE}/edition`,
  history: `${BASE}/segments/${translatedId}/history`,
  people: '/admin/users',
  document: `/documents/${DOC}`,
  checks: `${BASE}/checks`,
  activity: `${BASE}/activity`,
  glossary: '/glossary/es',
  search: '/search?q=commune',
  account: '/account',
});

describe('every page at a phone size and a laptop size', () => {
  for (const size of SIZES) {
    it(`has no horizontal scroll and no axe violation at ${size.width}×${size.height}, in English and Spanish`, async () => {
      mkdirSync(SHOTS, { recursive: true });
      const page = await pageAt(size, 'admin', true);
      const found: string[] = [];
      for (const lng of ['en', 'es']) {
        for (const [name, address] of Object.entries(pagesToCheck())) {
          await page.goto(`${b.url}${address}${address.includes('?') ? '&' : '?'}lng=${lng}`);
          expect(await page.locator('html').getAttribute('lang')).toBe(lng);
          const overflow = await overflowOf(page);
          if (overflow.by > 0) found.push(`${name} (${lng}) is ${overflow.by}px wider than the screen: ${overflow.wide.join(' ')}`);
          for (const violation of await axeViolations(page)) found.push(`${name} (${lng}): ${violation}`);
          await page.screenshot({ path: path.join(SHOTS, `${size.name}-${name}-${lng}.png`), fullPage: true });
        }
      }
      expect(found).toEqual([]);
      await page.context().close();
    });
  }

  it('has no horizontal scroll at 360 px, the narrowest screen it is made for', async () => {
    const page = await pageAt({ width: 360, height: 740 }, 'admin');
    const found: string[] = [];
    for (const [name, address] of Object.entries(pagesToCheck())) {
      await page.goto(`${b.url}${address}`);
      const overflow = await overflowOf(page);
      if (overflow.by > 0) found.push(`${name} is ${overflow.by}px wider than the screen: ${overflow.wide.join(' ')}`);
    }
    expect(found).toEqual([]);
    await page.context().close();
  });

  it('the axe check finds a violation when there is one (the test above can fail)', async () => {
    const page = await pageAt(SIZES[0], undefined, true);
    await page.goto(`${b.url}/`);
    await page.evaluate(() => document.querySelector('main')?.insertAdjacentHTML('beforeend', '<input type="text"><img src="data:,">'));
    const violations = await axeViolations(page);
    expect(violations.some((v) => v.startsWith('label'))).toBe(true);
    expect(violations.some((v) => v.startsWith('image-alt'))).toBe(true);
    await page.evaluate(() => document.querySelector('main')?.insertAdjacentHTML('beforeend', '<div style="width: 2000px">wide</div>'));
    expect((await overflowOf(page)).by).toBeGreaterThan(0);
    await page.context().close();
  });
});

describe('a translator at the keyboard', () => {
  it('reaches the first untranslated box from the top with Tab and Enter, keeps the counts right, and goes on to the next section with Ctrl+Enter', async () => {
    const page = await pageAt(SIZES[1], 'tina');
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${b.url}${BASE}?section=1`);

    // `?` lists every shortcut; Esc closes the list.
    await page.keyboard.press('?');
    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await shortcuts.waitFor();
    expect(await shortcuts.locator('kbd').allTextContents()).toEqual(['Tab', 'Ctrl+Enter', 'Alt+↑ / Alt+↓', 'Ctrl+1 … Ctrl+5', 'Ctrl+Shift+C', 'Ctrl+.', '?']);
    await page.keyboard.press('Escape');
    await shortcuts.waitFor({ state: 'hidden' });

    // The first Tab stop is the skip link; Enter puts the cursor in the first box to translate.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the first untranslated paragraph');
    await page.keyboard.press('Enter');
    const boxes = page.locator('textarea[name="target"]');
    const total = await boxes.count();
    expect(total).toBeGreaterThan(5);
    const firstOpen = page.locator('.unit[data-state="untranslated"] textarea[name="target"]').first();
    expect(await firstOpen.evaluate((el) => el === document.activeElement)).toBe(true);

    // One Tab stop per paragraph: Tab goes from this box to the next one, Shift+Tab back.
    const indexOfFocus = () => boxes.evaluateAll((els) => els.findIndex((el) => el === document.activeElement));
    const at = await indexOfFocus();
    await page.locator('.unit[data-state]').nth(at).locator('.memory, .terms').first().waitFor({ state: 'attached' }).catch(() => undefined);
    await page.keyboard.press('Tab');
    expect(await indexOfFocus()).toBe(at + 1);
    await page.keyboard.press('Shift+Tab');
    expect(await indexOfFocus()).toBe(at);
    // Ctrl+. opens the paragraph's actions; Esc puts the cursor back in the box.
    await page.keyboard.press('Control+.');
    const menu = page.getByRole('menu', { name: 'Paragraph actions' });
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Save (Ctrl+Enter)', 'History', 'Suggest or ask', 'Copy the source into the box (Ctrl+Shift+C)']);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('History');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await indexOfFocus()).toBe(at);

    const count = async (where: string, state: string) => Number((await page.locator(`${where} [data-count="${state}"]`).first().textContent())?.replace(/\D/g, ''));
    const before = { header: await count('.counts', 'translated'), untranslated: await count('nav.filters', 'untranslated'), words: await page.locator('.counts [data-words="translated"]').textContent() };

    // Every paragraph of the section in turn, Ctrl+Enter saving each and moving on.
    const firstIndex = await boxes.evaluateAll((els) => els.findIndex((el) => el === document.activeElement));
    for (let i = firstIndex; i < total; i++) {
      await page.keyboard.type(`Párrafo ${i}`);
      const unit = page.locator('.unit[data-state]').nth(i);
      if (i < total - 1) {
        await page.keyboard.press('Control+Enter');
        await unit.locator('[data-status]').filter({ hasText: 'Saved' }).waitFor();
        expect(await boxes.nth(i + 1).evaluate((el) => el === document.activeElement)).toBe(true);
      }
      if (i === firstIndex + 4) {
        // Five saves: the header's counts, its words and the filter's counts, without a reload.
        expect(await count('.counts', 'translated')).toBe(before.header + 5);
        expect(await count('nav.filters', 'translated')).toBe(before.header + 5);
        expect(await count('nav.filters', 'untranslated')).toBe(before.untranslated - 5);
        expect(await page.locator('.counts [data-words="translated"]').textContent()).not.toBe(before.words);
      }
    }
    // Ctrl+Enter on the last paragraph of the section: saved, then the next section, the cursor in its first box to translate.
    await Promise.all([page.waitForURL(/section=2#continue$/), page.keyboard.press('Control+Enter')]);
    await page.locator('textarea[name="target"]').first().waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.name)).toBe('target');
    expect(await page.evaluate(() => document.activeElement?.closest('.unit')?.getAttribute('data-state'))).toBe('untranslated');

    // Every paragraph of section 1 was saved.
    const saved = (await b.t.api.get(`/api${BASE}/segments?limit=1000`).expect(200)).body.segments as { target: string | null }[];
    expect(saved.filter((s) => s.target?.startsWith('Párrafo '))).toHaveLength(total - firstIndex);
    // Ids on the page are unique.
    expect(await page.evaluate(() => {
      const ids = Array.from(document.querySelectorAll('[id]')).map((el) => el.id);
      return ids.filter((id, i) => ids.indexOf(id) !== i);
    })).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('screens show only what a person may do', () => {
  it('a reviewer sees the translations as text, with no box to edit and a way to the review', async () => {
    const page = await pageAt(SIZES[0], 'rosa');
    await page.goto(`${b.url}${BASE}?section=0`);
    expect(await page.locator('textarea[name="target"]').count()).toBe(0);
    expect(await page.locator('form.target').count()).toBe(0);
    expect(await page.locator('.read-only .target-text').count()).toBeGreaterThan(0);
    expect(await page.locator('.target-text').getByText(`Traducción de ${translatedId}`).count()).toBe(1);
    expect(await page.locator('.read-only-note').textContent()).toContain('review page');
    await page.context().close();
  });

  it('an anonymous reader gets no form anywhere on the dashboard or the editor, and a link to log in', async () => {
    const page = await pageAt(SIZES[0]);
    for (const address of ['/', `${BASE}?section=1`]) {
      await page.goto(`${b.url}${address}`);
      expect(await page.locator('form').count()).toBe(0);
      expect(await page.locator('textarea').count()).toBe(0);
    }
    await page.getByRole('link', { name: 'Log in to translate' }).click();
    await page.waitForURL(/\/login\?next=/);
    expect(new URL(page.url()).searchParams.get('next')).toBe(`${BASE}?section=1`);
    await page.context().close();
  });
});

describe('review as reading', () => {
  it('approves in place (the page stays where it is, the queue count follows), by key and all at once, and sends back with a comment', async () => {
    // Paragraphs of the second section translated by the translator, for the reviewer to read.
    const { token } = await addAccount(b.t.app, b.t.project, 'tomas', [{ kind: 'translator', locale: 'es' }]);
    const all = (await b.t.api.get(`/api${BASE}/segments?limit=1000`).expect(200)).body.segments as { id: string; source: string; revision: number; state: string }[];
    const open = all.filter((s) => s.state === 'untranslated').slice(0, 14);
    for (const s of open) {
      await b.t.api.put(`/api${BASE}/segments/${s.id}`).set('Authorization', `Bearer ${token}`).send({ target: s.source.replace(/[a-z]+/, 'el'), baseRevision: s.revision }).expect(200);
    }
    const page = await pageAt(SIZES[1], 'rosa');
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${b.url}${BASE}/review`);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const queue = page.locator('[data-queue]');
    const before = Number(await queue.getAttribute('data-queue'));
    expect(before).toBeGreaterThanOrEqual(14);

    // A paragraph further down, read with the page scrolled: approved where it is.
    const fifth = page.locator('.review-unit').nth(4);
    await page.evaluate(() => window.scrollTo(0, 250));
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBe(250);
    const top = (await fifth.boundingBox())?.y;
    await fifth.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.review-unit.approved').first().waitFor();
    expect(await fifth.getAttribute('class')).toContain('approved');
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
    expect((await fifth.boundingBox())?.y).toBe(top);
    expect(Number(await queue.getAttribute('data-queue'))).toBe(before - 1);
    expect(await queue.textContent()).toContain(String(before - 1));
    expect(await page.locator('[data-live]').textContent()).toBe('Approved.');

    // `a` approves the paragraph at hand and moves on; `r` opens Send back on the next one.
    const sixth = page.locator('.review-unit').nth(5);
    await sixth.focus();
    await page.keyboard.press('a');
    await page.waitForFunction(() => document.querySelectorAll('.review-unit.approved').length === 2);
    expect(await sixth.getAttribute('class')).toContain('approved');
    const seventh = page.locator('.review-unit').nth(6);
    expect(await seventh.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('r');
    expect(await seventh.locator('textarea[name="comment"]').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Falta la segunda frase.');
    await seventh.getByRole('button', { name: 'Send back' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.review-unit.sent-back').length === 1);
    expect(Number(await queue.getAttribute('data-queue'))).toBe(before - 3);

    // Every paragraph still shown, approved at once: each on its own, a refused one keeps its reason.
    const waiting = await page.locator('.review-unit:not(.done)').count();
    await page.getByRole('button', { name: /^Approve all/ }).click();
    await page.waitForFunction(() => /approved\.$/.test(document.querySelector('[data-live]')?.textContent ?? ''));
    const refused = await page.locator('.review-unit:not(.done) [data-error]:not([hidden])').count();
    const approved = await page.locator('.review-unit.approved').count();
    expect(approved).toBe(2 + waiting - refused);
    expect(Number(await queue.getAttribute('data-queue'))).toBe(before - 3 - (waiting - refused));
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

    // What the server holds: the approvals, and the comment with the paragraph sent back.
    const after = (await b.t.api.get(`/api${BASE}/segments?limit=1000`).expect(200)).body.segments as { id: string; state: string }[];
    const sentBackId = await seventh.getAttribute('data-id');
    expect(after.find((s) => s.id === sentBackId)?.state).toBe('needs-work');
    expect(after.filter((s) => s.state === 'approved')).toHaveLength(approved);
    await page.reload();
    expect(Number(await queue.getAttribute('data-queue'))).toBe(before - 3 - (waiting - refused));
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('a live page', () => {
  it("shows another person's save within seconds, and never replaces an edit not saved yet", async () => {
    // A section no other test of this file touches: its paragraphs are untranslated.
    const section = `${b.url}${BASE}?section=8`;
    const mine = await pageAt(SIZES[1], 'admin');
    const theirs = await pageAt(SIZES[0], 'tina');
    const reader = await pageAt(SIZES[0]);
    for (const page of [mine, theirs, reader]) await page.goto(section);
    // The streams are open before anything is saved.
    await Promise.all([mine, theirs, reader].map((page) => page.locator('#units[data-live="open"]').waitFor({ state: 'attached' })));

    const boxes = (page: Page) => page.locator('textarea[name="target"]');
    const translatedBefore = Number((await theirs.locator('.counts [data-count="translated"]').first().textContent())?.replace(/\D/g, ''));
    // The translator starts an edit of the second paragraph and does not save it.
    await boxes(theirs).nth(1).fill('Mi versión sin guardar');

    await boxes(mine).nth(0).fill('Primera, guardada por el administrador');
    await boxes(mine).nth(0).press('Control+Enter');
    await boxes(mine).nth(1).fill('Segunda, guardada por el administrador');
    await boxes(mine).nth(1).press('Control+Enter');
    await mine.locator('.unit[data-state]').nth(1).locator('[data-status]').filter({ hasText: 'Saved' }).waitFor();

    // Within 5 s: the first paragraph's new text in the other browser's box, with who saved it and its state.
    const started = Date.now();
    await theirs.waitForFunction(() => document.querySelectorAll<HTMLTextAreaElement>('textarea[name="target"]')[0]?.value === 'Primera, guardada por el administrador', undefined, { timeout: 5000 });
    expect(Date.now() - started).toBeLessThan(5000);
    const first = theirs.locator('.unit[data-state]').nth(0);
    expect(await first.getAttribute('data-state')).toBe('translated');
    // The other browser's counts follow too: its header says what the server says.
    const { body: progress } = await b.t.api.get('/api/documents').expect(200);
    const es = (progress.documents as { id: string; locales: { code: string; translated: number }[] }[]).find((d) => d.id === DOC)?.locales.find((l) => l.code === 'es');
    expect(es?.translated).toBeGreaterThan(translatedBefore);
    await theirs.waitForFunction((n) => Number(document.querySelector('.counts [data-count="translated"]')?.textContent?.replace(/\D/g, '')) === n, es?.translated, { timeout: 5000 });
    expect(await first.locator('[data-status]').textContent()).toBe('Saved by admin');
    // The unsaved edit stays, with the conflict view offering the other text.
    await theirs.locator('.unit[data-state]').nth(1).locator('.conflict-box').waitFor({ timeout: 5000 });
    expect(await boxes(theirs).nth(1).inputValue()).toBe('Mi versión sin guardar');
    expect(await theirs.locator('.unit[data-state]').nth(1).locator('.conflict-box blockquote').textContent()).toBe('Segunda, guardada por el administrador');
    // Keeping it saves it over the other one, knowingly.
    await theirs.getByRole('button', { name: 'Save mine (as it is in the box) over theirs' }).click();
    await theirs.locator('.unit[data-state]').nth(1).locator('[data-status]').filter({ hasText: 'Saved' }).waitFor();
    // The reader's read-only page follows too, and the administrator's page gets the translator's save.
    await reader.waitForFunction(() => document.querySelectorAll('.target-text')[1]?.textContent === 'Mi versión sin guardar', undefined, { timeout: 5000 });
    await mine.waitForFunction(() => document.querySelectorAll<HTMLTextAreaElement>('textarea[name="target"]')[1]?.value === 'Mi versión sin guardar', undefined, { timeout: 5000 });
    // Where the others are comes over the same stream: the translator opens the fourth paragraph, the administrator sees it; the page closed, it goes.
    await boxes(theirs).nth(3).focus();
    const badge = mine.locator('.unit[data-state]').nth(3).locator('[data-presence]');
    await badge.waitFor({ timeout: 5000 });
    expect(await badge.textContent()).toContain('tina');
    await theirs.context().close();
    await badge.waitFor({ state: 'detached', timeout: 5000 });
    for (const page of [mine, reader]) await page.context().close();
  });

  it('refuses the stream of a locale that does not exist, and of a bad tag, with a clear error', async () => {
    const missing = await b.t.api.get(`/api/documents/${DOC}/locales/fr/events`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/fr/);
    const bad = await b.t.api.get(`/api/documents/${DOC}/locales/not_a_tag!/events`);
    expect(bad.status).toBe(400);
  });
});

describe("a paragraph's history", () => {
  it('goes back to an earlier version in place, the current text and the entries brought up to date', async () => {
    const all = (await b.t.api.get(`/api${BASE}/segments?limit=1000`).expect(200)).body.segments as { id: string; revision: number; state: string }[];
    const target = all.find((s) => s.state === 'untranslated') as { id: string; revision: number };
    await b.t.api.put(`/api${BASE}/segments/${target.id}`).send({ target: 'Primera versión', baseRevision: target.revision }).expect(200);
    await b.t.api.put(`/api${BASE}/segments/${target.id}`).send({ target: 'Segunda versión', baseRevision: target.revision + 1 }).expect(200);
    const page = await pageAt(SIZES[0], 'admin');
    await page.goto(`${b.url}${BASE}/segments/${target.id}/history`);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const entries = page.locator('ol.history > li');
    expect(await entries.count()).toBe(2);
    await page.getByRole('button', { name: 'Go back to this version' }).first().click();
    await page.waitForFunction(() => document.querySelectorAll('ol.history > li').length === 3);
    expect(await page.locator('#history-current').textContent()).toContain('Primera versión');
    expect(await page.locator('[data-live]').textContent()).toBe('The paragraph is back to that version.');
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    const saved = (await b.t.api.get(`/api${BASE}/segments?limit=1000`).expect(200)).body.segments.find((s: { id: string }) => s.id === target.id);
    expect(saved.target).toBe('Primera versión');
    await page.context().close();
  });
});
