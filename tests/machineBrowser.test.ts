import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addAccount, startLocale } from './helpers/app';
import { useBrowserApp } from './helpers/browser';
import { makeProject } from './helpers/project';

// The Machine and Terms panels as a translator uses them on a phone-sized screen, in the Spanish
// interface: a LibreTranslate-compatible local server (https://libretranslate.com/docs: POST
// /translate → {"translatedText"}) suggests, Ctrl+1 takes the suggestion, and the saved text is the
// machine's in the XLIFF file.
jest.setTimeout(60_000);

let server: Server | undefined;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw) as { q: string; target: string };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ translatedText: body.q === 'The second paragraph.' ? 'El segundo párrafo.' : `(${body.target}) ${body.q}` }));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const b = useBrowserApp(
  () => {
    const project = makeProject();
    project.write('workbench.config.json', JSON.stringify({ machineTranslation: { providers: [{ type: 'libretranslate', url, label: 'LibreTranslate local' }] } }));
    return project;
  },
  async (t) => {
    await startLocale(t.api, 'es');
    await addAccount(t.app, t.project, 'tina', [{ kind: 'translator', locale: 'es' }]);
    await t.api.post('/api/glossary/es/terms').send({ source: 'paragraph', translations: ['párrafo'], note: 'Un bloque de prosa.' }).expect(201);
  },
);

it('suggests, inserts with the keyboard and saves a machine translation, on a phone, in Spanish', async () => {
  const context = await b.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await b.logIn(page, 'tina');
  await page.locator('.ui-language a[hreflang="es"]').click();
  await page.goto(`${b.url}/documents/small/locales/es?filter=untranslated`);
  const unit = page.locator('.unit', { hasText: 'The second paragraph.' });
  const box = unit.locator('textarea[name="target"]');
  await box.click();
  const terms = unit.locator('.terms');
  await terms.locator('dt').first().waitFor();
  expect(await terms.locator('h3').textContent()).toBe('Términos');
  expect(await terms.textContent()).toContain('Un bloque de prosa.');
  const machine = unit.locator('.machine');
  await machine.locator('li').first().waitFor();
  expect(await machine.locator('h3').textContent()).toBe('Traducción automática');
  expect(await machine.locator('.memory-origin').first().textContent()).toBe('LibreTranslate local');
  expect(await machine.locator('.memory-target').first().textContent()).toBe('El segundo párrafo.');
  await box.focus();
  await page.keyboard.press('Control+1');
  expect(await box.inputValue()).toBe('El segundo párrafo.');
  await page.keyboard.press('Control+Enter');
  await unit.locator('[data-status]').filter({ hasText: 'Guardado' }).waitFor();
  const xliff = (await b.t.api.get('/api/documents/small/locales/es/export/xliff').expect(200)).text;
  expect(xliff).toContain('<target state="translated" state-qualifier="mt-suggestion">El segundo párrafo.</target>');
  expect(errors).toEqual([]);
  await context.close();
});
