import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { useBrowserApp } from './helpers/browser';
import { teamLocale } from './helpers/edition';
import { runEpubcheck } from './helpers/epubcheck';
import { makeProject } from './helpers/project';

// An editor publishes the finished Spanish edition from the Edition page, then reads it in the browser.
jest.setTimeout(120_000);

const b = useBrowserApp(makeProject, async (t) => {
  await teamLocale(t);
});

it('downloads the HTML and EPUB editions from the Edition page; the HTML reads and prints in Chromium without a request', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-browser-edition-'));
  const page = await b.browser.newPage({ acceptDownloads: true });
  await b.logIn(page, 'Ana');
  await page.goto(`${b.url}/documents/small/locales/es`);
  await page.getByRole('link', { name: 'Edition and export' }).click();
  await page.waitForURL(/\/edition$/);
  await page.getByText('8 of 8 paragraphs done').waitFor();

  const [htmlDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^HTML/ }).click()]);
  expect(htmlDownload.suggestedFilename()).toBe('small.es.html');
  const htmlFile = path.join(dir, 'small.es.html');
  await htmlDownload.saveAs(htmlFile);
  const [epubDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^EPUB/ }).click()]);
  const epubFile = path.join(dir, 'small.es.epub');
  await epubDownload.saveAs(epubFile);
  const check = await runEpubcheck(epubFile);
  expect(check.output).not.toMatch(/^(WARNING|ERROR|FATAL)/m);
  expect(check.status).toBe(0);

  // The downloaded page, opened as a reader would: no request leaves it.
  const reader = await b.browser.newPage();
  const requests: string[] = [];
  reader.on('request', (request) => requests.push(request.url()));
  const url = pathToFileURL(htmlFile).href;
  await reader.goto(url);
  expect(requests).toEqual([url]);
  expect(await reader.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['es', 'ltr']);
  const headings = await reader.locator('main h1, main h2, main h3, .chapter h1, .chapter h2, .chapter h3').allTextContents();
  expect(headings).toEqual(expect.arrayContaining(['Primera parte', 'Una subsección', 'Segunda parte']));
  // The table of contents leads to the chapters.
  await reader.locator('nav').getByRole('link', { name: 'Segunda parte' }).click();
  // The link's target is the chapter's heading, or the chapter that opens with it.
  const target = await reader.evaluate(() => {
    const element = document.querySelector(decodeURIComponent(location.hash));
    const heading = element?.matches('h1, h2, h3') ? element : element?.querySelector('h1, h2, h3');
    return heading?.textContent?.trim() ?? null;
  });
  expect(target).toBe('Segunda parte');
  expect(await reader.locator('body').textContent()).toContain('El último párrafo.');

  // Printed, each chapter starts a page; "print to PDF" makes a PDF of several pages.
  await reader.emulateMedia({ media: 'print' });
  const breaks = await reader.locator('.chapter').evaluateAll((chapters) => chapters.map((c) => getComputedStyle(c).breakBefore));
  expect(breaks.length).toBeGreaterThanOrEqual(2);
  expect(new Set(breaks)).toEqual(new Set(['page']));
  const pdf = await reader.pdf({ format: 'A5' });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBeGreaterThanOrEqual(4);
});
