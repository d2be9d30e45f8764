import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { createProject } from '../server/application/createWorkbench';
import { isWorkbenchError } from '../server/errors';
import { addAccount, browserAgent, useTestApp } from './helpers/app';
import { validateXliff12 } from './helpers/xmllint';

// Fuzzing with a fixed seed: requests to every route (valid and broken paths, bodies, types,
// encodings, as anyone) and XLIFF files broken in every way get a 4xx or a success, never a 5xx,
// and a refusal leaves every stored file as it was. FUZZ_RUNS=5000 npm test -- fuzz for a long run.

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);

jest.setTimeout(Math.max(120_000, RUNS * 400));

const t = useTestApp();

/** A digest of every stored file of the project (texts, translations, archives), by path. */
function storedFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !entry.name.endsWith('.tmp')) files.set(path.relative(dir, full), createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  for (const part of ['source', 'locales']) {
    try {
      if (statSync(path.join(dir, part)).isDirectory()) walk(path.join(dir, part));
    } catch {
      // not made yet
    }
  }
  return files;
}

const ROUTES: [string, string][] = [
  ['get', '/documents/:doc'],
  ['get', '/documents/:doc/drift'],
  ['get', '/documents/:doc/versions'],
  ['get', '/documents/:doc/locales/:lang'],
  ['get', '/documents/:doc/locales/:lang/activity'],
  ['get', '/documents/:doc/locales/:lang/edition'],
  ['get', '/documents/:doc/locales/:lang/export/:format'],
  ['get', '/documents/:doc/locales/:lang/paragraph/:id'],
  ['get', '/documents/:doc/locales/:lang/removed'],
  ['get', '/documents/:doc/locales/:lang/review'],
  ['get', '/documents/:doc/locales/:lang/segments'],
  ['get', '/documents/:doc/locales/:lang/segments/:id/history'],
  ['get', '/documents/:doc/locales/:lang/segments/:id/memory'],
  ['get', '/setup/:token'],
  ['post', '/account/tokens'],
  ['post', '/account/tokens/:id/revoke'],
  ['post', '/admin/users'],
  ['post', '/documents/:doc/locales'],
  ['post', '/documents/:doc/locales/:lang/edition/title'],
  ['post', '/documents/:doc/locales/:lang/import'],
  ['post', '/documents/:doc/locales/:lang/import/:stage'],
  ['post', '/documents/:doc/locales/:lang/memories'],
  ['post', '/documents/:doc/locales/:lang/segments/:id'],
  ['post', '/documents/:doc/locales/:lang/segments/:id/:decision'],
  ['post', '/documents/:doc/locales/:lang/segments/:id/approve'],
  ['post', '/documents/:doc/locales/:lang/segments/:id/comment'],
  ['post', '/documents/:doc/locales/:lang/segments/:id/reject'],
  ['post', '/documents/:doc/locales/:lang/segments/:id/revert'],
  ['post', '/documents/:doc/locales/:lang/segments/:id/still-correct'],
  ['post', '/documents/:doc/locales/:lang/segments/:id/suggest'],
  ['post', '/documents/:doc/locales/:lang/suggestions/:sid/:decision'],
  ['post', '/documents/:doc/locales/:lang/threads/:tid/resolve'],
  ['post', '/documents/:doc/source'],
  ['post', '/login'],
  ['post', '/logout'],
  ['post', '/setup/:token'],
  ['put', '/documents/:doc/locales/:lang/edition/title'],
  ['put', '/documents/:doc/locales/:lang/segments/:id'],
  ['delete', '/documents/:doc/locales/:lang/segments/:id'],
];

/** A path parameter: mostly one the project has (to reach deep), else anything at all, percent-encoded or not. */
function param(valid: string[]): fc.Arbitrary<string> {
  const weird = fc.oneof(
    fc.string({ maxLength: 40 }).map(encodeURIComponent),
    fc.constantFrom('..', '%2e%2e', '%', '%ZZ', '%E0%A4%A', '%00', 'a%2Fb', '.hidden', 'x'.repeat(300), 'ÉS', 'es-419', 'zh-Hant-TW', 'und', '0', '-1', '1e9'),
    fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent),
  );
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: weird });
}

const BODY_KEYS = ['target', 'baseRevision', 'code', 'lang', 'comment', 'text', 'entry', 'title', 'name', 'password', 'roles', 'role', 'label', 'file', 'suggestion', '_csrf', 'force'];

/** A body: JSON of any shape, an object with the routes' own field names and any values, or text that is not what it says it is. */
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...BODY_KEYS), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 200 }), fc.integer(), fc.constant('x'.repeat(25_000)))),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 300 }),
  fc.constantFrom('{', '{"target": "\uD800"}', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', ''),
);

const contentType = fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/xml', 'multipart/form-data; boundary=XX', 'application/json; charset=utf-16', undefined);
const contentEncoding = fc.constantFrom(undefined, undefined, undefined, 'gzip', 'br-weird', 'identity');
const who = fc.constantFrom('anonymous', 'admin', 'translator', 'browser', 'browser-no-csrf');

describe('fuzzed requests to every route', () => {
  it(`get no 5xx in ${RUNS} cases, and a refusal changes no stored file`, async () => {
    await t.api.post('/api/documents/small/locales').send({ code: 'es' }).expect(201);
    const segments = ((await t.api.get('/api/documents/small/locales/es/segments').expect(200)).body as { segments: { id: string }[] }).segments.map((s) => s.id);
    const translator = await addAccount(t.app, t.project, 'traductora', [{ kind: 'translator', locale: 'es' }]);
    const browser = await browserAgent(t.app);
    const values: Record<string, string[]> = {
      doc: ['small'],
      lang: ['es', 'fr'],
      id: segments,
      format: ['epub', 'html', 'md', 'txt', 'xliff', 'xliff2', 'tmx'],
      decision: ['accept', 'reject', 'dismiss'],
      stage: ['0'.repeat(32)],
      sid: ['1'],
      tid: ['1'],
      token: ['x'],
    };
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.boolean(),
        fc.record(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, param(v)]))),
        body,
        contentType,
        contentEncoding,
        who,
        async ([method, template], api, params, sent, type, encoding, as) => {
          const url = `${api ? '/api' : ''}${template.replace(/:(\w+)/g, (_, name: string) => params[name] ?? 'x')}`;
          const before = storedFiles(t.project.dir);
          let agent;
          if (as === 'admin') agent = t.api;
          else if (as === 'translator') agent = translator.api;
          else if (as === 'anonymous') agent = request(t.app);
          else agent = browser.agent;
          let req = (agent as unknown as Record<string, (url: string) => request.Test>)[method](url).set('Accept', api ? 'application/json' : 'text/html');
          if (as === 'browser') req = req.set('X-CSRF-Token', browser.csrf);
          if (type) req = req.set('Content-Type', type);
          if (encoding) req = req.set('Content-Encoding', encoding);
          const res = method === 'get' ? await req : await req.send(typeof sent === 'string' ? sent : JSON.stringify(sent));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) failures.push(`${method.toUpperCase()} ${url} as ${as} (${type}): ${res.status} ${res.text.slice(0, 200)}`);
          if (res.status >= 400) {
            const after = storedFiles(t.project.dir);
            expect({ url, files: [...after] }).toEqual({ url, files: [...before] });
          }
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    if (process.env.FUZZ_DEBUG) console.log([...new Set(t.logged.map((e) => String((e as Error).stack).split('\n').slice(0, 4).join(' | ')))].join('\n'));
    expect(failures).toEqual([]);
    expect(t.logged).toEqual([]);
    // Printed for the figures.
    console.log(`HTTP fuzz: ${RUNS} cases, answers ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  });
});

/** Ways to break an XLIFF file: cut it, flip bytes, put things in it that a reader must refuse or survive. */
function breakFile(xml: string): fc.Arbitrary<Buffer> {
  const bytes = Buffer.from(xml);
  const snippets = [
    '<!DOCTYPE xliff [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '&e;',
    '<target>',
    '</trans-unit>',
    '<trans-unit id="x">',
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<g id="1">',
    '<mrk mtype="seg">',
    ']]>',
    '<![CDATA[',
    '\u0000',
    '\uFFFE',
    'x'.repeat(30_000),
    'target-language="de"',
    'id=""',
    '<trans-unit id="s1"><source>dup</source><target>dup</target></trans-unit>',
  ];
  return fc.oneof(
    fc.nat(bytes.length).map((n) => bytes.subarray(0, n)),
    fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }).map((flips) => {
      const copy = Buffer.from(bytes);
      for (const [at, value] of flips) copy[at] = value;
      return copy;
    }),
    fc.tuple(fc.nat(xml.length), fc.constantFrom(...snippets)).map(([at, snippet]) => Buffer.from(xml.slice(0, at) + snippet + xml.slice(at))),
    fc.tuple(fc.nat(xml.length), fc.nat(xml.length)).map(([a, b]) => Buffer.from(xml.slice(0, Math.min(a, b)) + xml.slice(Math.max(a, b)))),
  );
}

describe('fuzzed XLIFF imports', () => {
  it(`are taken or refused with a 4xx in ${RUNS} cases; a refusal leaves the locale file as it was, and what is taken stays schema-valid`, async () => {
    await t.api.post('/api/documents/small/locales').send({ code: 'es' }).expect(201);
    const exported = (await t.api.get('/api/documents/small/locales/es/export/xliff?draft=1')).text;
    expect(exported).toContain('<trans-unit');
    // A translated file, as another tool sends it back.
    const translated = exported.replace(/(<source>([^<]*)<\/source>)(\s*<target[^>]*>[^<]*<\/target>)?/g, '$1<target>ES $2</target>');
    const { imports } = createProject(t.project.dir);
    const outcomes = { taken: 0, refused: 0 };
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(breakFile(translated), async (bytes) => {
        const before = storedFiles(t.project.dir);
        try {
          await imports.run('small', 'es', bytes, { name: 'fuzzed.xlf', who: 'admin' });
          outcomes.taken++;
        } catch (err) {
          if (!isWorkbenchError(err) || err.status >= 500) {
            failures.push(`${(err as Error).message}`.slice(0, 300));
            return;
          }
          outcomes.refused++;
          expect(storedFiles(t.project.dir)).toEqual(before);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(failures).toEqual([]);
    const { valid, output } = validateXliff12(path.join(t.project.dir, 'locales', 'es', 'small.xlf'));
    expect(output).toBe(valid ? output : '');
    expect(valid).toBe(true);
    console.log(`XLIFF import fuzz: ${RUNS} cases, ${outcomes.taken} taken, ${outcomes.refused} refused with a 4xx, ${failures.length} 5xx`);
  });
});
