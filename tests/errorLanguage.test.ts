import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { startLocale, useTestApp } from './helpers/app';
import { REPO_ROOT } from './helpers/project';

/**
 * Every refusal code the server's and the CLI's code throw (`new WorkbenchError(status, 'code', …)`),
 * but those whose message the CLI already writes in its user's words (`t('cli.…')`).
 */
function thrownCodes(): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) {
        for (const m of readFileSync(file, 'utf8').matchAll(/new WorkbenchError\(\s*\d+,\s*'([a-z0-9-]+)',([^\n]*)/g)) if (!m[2].includes("t('cli.")) codes.add(m[1]);
      }
    }
  };
  walk(path.join(REPO_ROOT, 'server'));
  walk(path.join(REPO_ROOT, 'scripts'));
  return codes;
}

// Refusals said in the interface language of whoever gets them: the API's message and the error page.
const t = useTestApp();

describe('errors in the interface language', () => {
  it('says the common refusals in Spanish, with their particulars, and in English as thrown', async () => {
    const [first] = await startLocale(t.api, 'es');
    const es = (req: request.Test) => req.set('Accept-Language', 'es');
    expect((await es(t.api.get('/api/documents/small/locales/es/segments/s00000000/history')).expect(404)).body.error.message).toBe('«A small text» no tiene ningún párrafo «s00000000».');
    expect((await es(t.api.post('/api/documents/small/locales').send({ code: 'xx-!!' })).expect(400)).body.error.message).toMatch(/^«xx-!!» no es una etiqueta de idioma/);
    expect((await es(t.api.get('/api/documents/nothing/versions')).expect(404)).body.error.message).toBe('No hay ningún documento «nothing».');
    await t.api.put(`/api/documents/small/locales/es/segments/${first.id}`).send({ target: 'Primera parte', baseRevision: 0 }).expect(200);
    const stale = await es(t.api.put(`/api/documents/small/locales/es/segments/${first.id}`).send({ target: 'Otra', baseRevision: 0 })).expect(409);
    expect(stale.body.error.message).toBe('Otra persona guardó este párrafo desde que lo abriste. Compara y vuelve a guardar.');
    expect(stale.body.error.current.target).toBe('Primera parte');
    const incomplete = await es(t.api.get('/api/documents/small/locales/es/export/epub')).expect(409);
    expect(incomplete.body.error.message).toMatch(/^La edición es de «A small text» no está completa: 0 de \d+ párrafos listos/);
    // A file that is not well-formed: where, in Spanish.
    const broken = await es(t.api.post('/api/documents/small/locales/es/import').set('Content-Type', 'application/xliff+xml').send('<xliff version="1.2"><file>')).expect(400);
    expect(broken.body.error.message).toMatch(/línea 1, columna \d+: el XML está mal formado/);
    expect((await es(t.api.post('/api/documents/small/locales').send({ code: 'es' })).expect(409)).body.error.message).toBe('es ya está empezado para small.');
    expect((await es(t.api.post('/api/documents/small/locales').send({ code: 'en' })).expect(400)).body.error.message).toBe('«A small text» está escrito en en: elige otro idioma.');
    const long = await es(t.api.put(`/api/documents/small/locales/es/segments/${first.id}`).send({ target: 'x'.repeat(20001), baseRevision: 1 })).expect(413);
    expect(long.body.error.message).toBe('Una traducción puede tener como mucho 20.000 caracteres; esta tiene 20.001.');
    const notXliff = await es(t.api.post('/api/documents/small/locales/es/import').set('Content-Type', 'application/xliff+xml').send('<root/>')).expect(400);
    expect(notXliff.body.error.message).toMatch(/: el banco de trabajo no puede leerlo: /);
    const notTbx = await es(t.api.post('/api/glossary/es/import').set('Content-Type', 'application/x-tbx+xml').send('<root/>')).expect(400);
    expect(notTbx.body.error.message).toBe('glossary: no es un archivo TBX: el elemento raíz es <root>, no <tbx> ni <martif>.');
    // English gets the message as written where it was thrown.
    expect((await t.api.get('/api/documents/small/locales/es/segments/s00000000/history').expect(404)).body.error.message).toBe('"A small text" has no paragraph "s00000000".');
    // The error page too.
    const page = await request(t.app).get('/nowhere').set('Accept-Language', 'es').set('Accept', 'text/html').expect(404);
    expect(page.text).toContain('No hay nada en /nowhere.');
  });
});

describe('every refusal has a message key', () => {
  it('in English and Spanish: errors.<code>, or errorDetails.<code> for those said with their values', () => {
    const codes = thrownCodes();
    expect(codes.size).toBeGreaterThan(100);
    for (const lng of ['en', 'es']) {
      const catalog = JSON.parse(readFileSync(path.join(REPO_ROOT, 'locales', lng, 'ui.json'), 'utf8')) as { errors: Record<string, string>; errorDetails: Record<string, string> };
      const keyed = new Set([...Object.keys(catalog.errors), ...Object.keys(catalog.errorDetails).map((key) => key.split('_')[0])]);
      expect({ lng, missing: [...codes].filter((code) => !keyed.has(code)).sort() }).toEqual({ lng, missing: [] });
    }
  });
});
