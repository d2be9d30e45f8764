/**
 * Bilingual editions: the Universal Declaration in English aligned into Arabic (a right-to-left
 * language from a left-to-right source) and published as html-bilingual and epub-bilingual, read in
 * Chromium at a desktop's and a phone's width and in print, checked by epubcheck.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { useBrowserApp } from './helpers/browser';
import { download } from './helpers/edition';
import { runEpubcheck } from './helpers/epubcheck';
import { makeProject } from './helpers/project';

jest.setTimeout(120_000);

const fixture = (code: string): string => readFileSync(path.join(__dirname, 'fixtures', 'align', `udhr-${code}.md`), 'utf8');
const base = '/api/documents/udhr/locales/ar';

const b = useBrowserApp(
  () => makeProject({ 'udhr.md': fixture('eng') }),
  async (t) => {
    await t.api.post(`${base}/align`).set('Content-Type', 'text/markdown').send(fixture('arb')).expect(200);
  },
);

describe('bilingual editions of Arabic from English', () => {
  let dir: string;
  let htmlFile: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-bilingual-'));
    // Not approved yet: refused as an edition, given as a marked draft.
    const refused = await b.t.api.get(`${base}/export/html-bilingual`).expect(409);
    expect(refused.body.error.code).toBe('edition-incomplete');
    const html = await download(b.t.api, `${base}/export/html-bilingual?draft=1`);
    expect(html.disposition).toContain('udhr.ar.draft.bilingual.html');
    htmlFile = path.join(dir, 'udhr.ar.bilingual.html');
    writeFileSync(htmlFile, html.body);
  });

  it('is one standalone HTML file: no request, each language marked, the contents in Arabic with the English titles beside', async () => {
    const page = await b.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const url = pathToFileURL(htmlFile).href;
    await page.goto(url);
    expect(requests).toEqual([url]);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    const toc = await page.locator('nav.toc').innerText();
    expect(toc).toContain('الإعلان العالمي لحقوق الإنسان');
    expect(toc).toContain('Universal Declaration of Human Rights');
    const text = await page.locator('.provenance-page').innerText();
    expect(text).toMatch(/English|الإنجليزية/);
    await page.close();
  });

  it('lays out right to left beside left to right on a wide screen and in print, source then translation on a phone', async () => {
    const layout = async (width: number, media: 'screen' | 'print') => {
      const page = await b.browser.newPage({ viewport: { width, height: 900 } });
      await page.emulateMedia({ media });
      await page.goto(pathToFileURL(htmlFile).href);
      const found = await page.evaluate(() => {
        const pair = Array.from(document.querySelectorAll('.pair')).find((p) => p.textContent?.includes('All human beings are born free')) as HTMLElement;
        const src = pair.querySelector('.src') as HTMLElement;
        const tgt = pair.querySelector('.tgt') as HTMLElement;
        const [s, t] = [src.getBoundingClientRect(), tgt.getBoundingClientRect()];
        return {
          src: { lang: src.lang, dir: getComputedStyle(src).direction, left: s.left, right: s.right, top: s.top },
          tgt: { lang: tgt.lang, dir: getComputedStyle(tgt).direction, left: t.left, right: t.right, top: t.top },
          overflow: document.documentElement.scrollWidth > window.innerWidth,
        };
      });
      await page.close();
      return found;
    };
    const wide = await layout(1366, 'screen');
    expect(wide.src).toMatchObject({ lang: 'en', dir: 'ltr' });
    expect(wide.tgt).toMatchObject({ lang: 'ar', dir: 'rtl' });
    // Side by side, the source at the start of a right-to-left line: on the right.
    expect(Math.abs(wide.src.top - wide.tgt.top)).toBeLessThan(2);
    expect(wide.src.left).toBeGreaterThanOrEqual(wide.tgt.right);
    const printed = await layout(1000, 'print');
    expect(Math.abs(printed.src.top - printed.tgt.top)).toBeLessThan(2);
    const phone = await layout(390, 'screen');
    expect(phone.tgt.top).toBeGreaterThan(phone.src.top);
    expect(phone.overflow).toBe(false);
  });

  it('makes an EPUB that epubcheck passes with no error and no warning', async () => {
    const epub = await download(b.t.api, `${base}/export/epub-bilingual?draft=1`);
    const file = path.join(dir, 'udhr.ar.bilingual.epub');
    writeFileSync(file, epub.body);
    const check = await runEpubcheck(file);
    expect(check.problems).toEqual([]);
    expect(check.status).toBe(0);
  });

  it('offers both on the Edition page', async () => {
    const page = await b.loggedInPage('admin');
    await page.goto(`${b.url}/documents/udhr/locales/ar/edition`);
    expect(await page.getByRole('link', { name: /Bilingual EPUB/ }).getAttribute('href')).toBe('/documents/udhr/locales/ar/export/epub-bilingual?draft=1');
    expect(await page.getByRole('link', { name: /Bilingual HTML/ }).getAttribute('href')).toBe('/documents/udhr/locales/ar/export/html-bilingual?draft=1');
    await page.close();
  });
});
