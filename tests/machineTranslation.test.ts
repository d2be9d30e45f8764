import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { addAccount, makeApp, startLocale, type TestApp } from './helpers/app';
import { makeProject } from './helpers/project';

// Machine translation against local servers that implement each provider's documented request and
// answer, errors included (no network here; nothing else is faked):
// - LibreTranslate: https://libretranslate.com/docs — POST /translate {"q","source","target","format","api_key"} → {"translatedText"}; errors {"error"} with 400/403/429/500.
// - DeepL API v2: https://developers.deepl.com/docs/api-reference/translate — POST /v2/translate, Authorization: DeepL-Auth-Key, {"text":[…],"source_lang","target_lang","context"} → {"translations":[{"detected_source_language","text"}]}; 403 wrong key, 456 quota exceeded.
// - OpenAI chat completions: https://platform.openai.com/docs/api-reference/chat/create — POST /v1/chat/completions, Authorization: Bearer, {"model","messages"} → {"choices":[{"message":{"role","content"}}]}; errors {"error":{"message","type","code"}}.

type Handler = (body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) => void;

interface Local {
  url: string;
  /** What the server does with the next requests (default: answer well). */
  mode: string;
  seen: { path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

async function serve(handle: (local: Local) => Handler): Promise<Local> {
  const local = { url: '', mode: 'ok', seen: [] } as unknown as Local;
  const handler = handle(local);
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      local.seen.push({ path: req.url ?? '', headers: req.headers, body });
      if (local.mode === 'hang') return; // never answers: the workbench's time limit ends it
      if (local.mode === 'html') {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Login</title><p>Sign in');
        return;
      }
      if (local.mode === 'garbage') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"unexpected": true}');
        return;
      }
      handler(body, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  local.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  local.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return local;
}

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

const DEEPL_KEY = 'secret-deepl-key:fx';
const OPENAI_KEY = 'sk-secret-openai';

let libre: Local;
let deepl: Local;
let openai: Local;
let t: TestApp;
let translator: Awaited<ReturnType<typeof addAccount>>;
let second: { id: string; source: string };

beforeAll(async () => {
  libre = await serve((local) => (body, req, res) => {
    if (req.url !== '/translate') return json(res, 404, { error: 'Not found' });
    if (local.mode === 'limit') return json(res, 429, { error: 'Too many request limits violations' });
    if (local.mode === 'fail') return json(res, 500, { error: 'Cannot translate text: internal error' });
    if (body.source !== 'en' || body.target !== 'es' || body.format !== 'text') return json(res, 400, { error: `Invalid request: ${JSON.stringify(body)}` });
    json(res, 200, { translatedText: `[LT] ${String(body.q)}` });
  });
  deepl = await serve((local) => (body, req, res) => {
    if (req.url !== '/v2/translate') return json(res, 404, { message: 'Not found' });
    if (req.headers.authorization !== `DeepL-Auth-Key ${DEEPL_KEY}`) return json(res, 403, { message: 'Wrong endpoint. Use https://api.deepl.com' });
    if (local.mode === 'quota') return json(res, 456, { message: 'Quota exceeded' });
    const text = body.text as string[];
    json(res, 200, { translations: text.map((x) => ({ detected_source_language: 'EN', text: `[DeepL ${String(body.target_lang)}] ${x}` })) });
  });
  openai = await serve((local) => (body, req, res) => {
    if (req.url !== '/v1/chat/completions') return json(res, 404, { error: { message: 'Unknown path', type: 'invalid_request_error', code: null } });
    if (req.headers.authorization !== `Bearer ${OPENAI_KEY}`) return json(res, 401, { error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
    if (local.mode === 'fail') return json(res, 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error', code: null } });
    const messages = body.messages as { role: string; content: string }[];
    const paragraph = /The paragraph to translate:\n([\s\S]*)$/.exec(messages[1].content)?.[1] ?? '';
    json(res, 200, { id: 'chatcmpl-1', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: ` [GPT] ${paragraph}\n` }, finish_reason: 'stop' }] });
  });
  process.env.TEST_DEEPL_KEY = DEEPL_KEY;
  const project = makeProject();
  project.write(
    'workbench.config.json',
    JSON.stringify({
      machineTranslation: {
        timeoutMs: 500,
        providers: [
          { type: 'libretranslate', url: libre.url },
          { type: 'deepl', url: deepl.url, apiKeyEnv: 'TEST_DEEPL_KEY' },
          { type: 'openai', url: `${openai.url}/v1`, model: 'local-model', apiKey: OPENAI_KEY },
        ],
      },
    }),
  );
  t = await makeApp(project);
  const segments = await startLocale(t.api, 'es');
  second = segments.find((s) => s.source === 'The second paragraph.') as typeof second;
  translator = await addAccount(t.app, t.project, 'tina', [{ kind: 'translator', locale: 'es' }]);
  await translator.api.post('/api/glossary/es/terms').send({ source: 'paragraph', translations: ['párrafo'], forbidden: ['parágrafo'] }).expect(201);
});

afterAll(async () => {
  await Promise.all([libre.close(), deepl.close(), openai.close()]);
  t.project.cleanup();
});

const url = () => `/api/documents/small/locales/es/segments/${second.id}/machine`;

beforeEach(() => {
  for (const local of [libre, deepl, openai]) {
    local.mode = 'ok';
    local.seen = [];
  }
});

test('each provider is asked as it documents, and its suggestion comes labelled; keys never reach the browser', async () => {
  await request(t.app).get(url()).expect(401);
  const body = (await translator.api.get(url()).expect(200)).body;
  expect(body).toEqual({
    configured: true,
    notes: [],
    suggestions: [
      { provider: 'libretranslate-1', label: 'LibreTranslate', text: '[LT] The second paragraph.' },
      { provider: 'deepl-2', label: 'DeepL', text: '[DeepL ES] The second paragraph.' },
      { provider: 'openai-3', label: 'OpenAI-compatible (local-model)', text: '[GPT] The second paragraph.' },
    ],
  });
  expect(JSON.stringify(body)).not.toContain('secret');
  // DeepL and the chat model are given the neighbouring paragraphs; the chat model the glossary's terms too.
  expect(deepl.seen[0].body).toMatchObject({ text: ['The second paragraph.'], source_lang: 'EN', target_lang: 'ES', context: expect.stringContaining('The first paragraph') });
  const prompt = openai.seen[0].body.messages as { role: string; content: string }[];
  expect(prompt[0].content).toContain('- paragraph → párrafo (never: parágrafo)');
  expect(prompt[1].content).toContain('The paragraph before (context, not to translate):\nThe first paragraph');
  // Asked again: the kept suggestions, nobody asked.
  await translator.api.get(url()).expect(200);
  expect(libre.seen).toHaveLength(1);
});

test('a suggestion saved as it is is the machine\'s in the XLIFF file; edited, it is the translator\'s, with the edit counted', async () => {
  await translator.api.get(url()).expect(200);
  const saved = (await translator.api.put(`/api/documents/small/locales/es/segments/${second.id}`).send({ target: '[DeepL ES] The second paragraph.', baseRevision: 0, machine: { provider: 'deepl-2' } }).expect(200)).body;
  expect(saved.state).toBe('translated');
  await t.api.get('/api/documents').expect(200); // the file written
  const xliff = (await request(t.app).get('/api/documents/small/locales/es/export/xliff').expect(200)).text;
  expect(xliff).toMatch(/<target state="translated" state-qualifier="mt-suggestion">\[DeepL ES\] The second paragraph\.<\/target>/);
  // A person's edit takes the machine's mark away; the history says how much was changed.
  await translator.api.put(`/api/documents/small/locales/es/segments/${second.id}`).send({ target: 'El segundo párrafo.', baseRevision: 1 }).expect(200);
  const after = (await request(t.app).get('/api/documents/small/locales/es/export/xliff').expect(200)).text;
  expect(after).toMatch(/<target state="translated">El segundo párrafo\.<\/target>/);
  const history = (await t.api.get(`/api/documents/small/locales/es/segments/${second.id}/history`).expect(200)).body.entries;
  expect(history[0].after.machine).toEqual({ provider: 'deepl-2', edits: 0, length: 32 });
  expect(history[1].after.machine).toBeUndefined();
  // Post-edited from a suggestion: counted with its edits, shown in the activity.
  const third = (await t.api.get('/api/documents/small/locales/es/segments').expect(200)).body.segments.find((s: { source: string }) => s.source === 'The last paragraph.');
  await translator.api.get(`/api/documents/small/locales/es/segments/${third.id}/machine`).expect(200);
  await translator.api.put(`/api/documents/small/locales/es/segments/${third.id}`).send({ target: '[LT] El último párrafo.', baseRevision: 0, machine: { provider: 'libretranslate-1' } }).expect(200);
  const activity = (await request(t.app).get('/documents/small/locales/es/activity').expect(200)).text;
  expect(activity).toMatch(/2 saved, \d+% of their text changed/);
  // A provider this server did not suggest for the paragraph is not believed.
  await translator.api.put(`/api/documents/small/locales/es/segments/${second.id}`).send({ target: 'Otro.', baseRevision: 2, machine: { provider: 'made-up' } }).expect(200);
  const last = (await t.api.get(`/api/documents/small/locales/es/segments/${second.id}/history`).expect(200)).body.entries.at(-1);
  expect(last.after.machine).toBeUndefined();
});

test('a provider that fails, is over its limit, answers garbage or HTML, or never answers is a quiet note; the others still suggest', async () => {
  // Each case on a paragraph not asked about yet (nothing kept for it).
  const segments = ((await t.api.get('/api/documents/small/locales/es/segments').expect(200)).body.segments as { id: string; source: string }[]).filter(
    (s) => s.id !== second.id && s.source !== 'The last paragraph.',
  );
  const cases: [Local, string, RegExp][] = [
    [libre, 'fail', /LibreTranslate: failed \(HTTP 500\): Cannot translate text/],
    [libre, 'limit', /over its limit \(HTTP 429\)/],
    [deepl, 'quota', /DeepL: is over its limit \(HTTP 456\): Quota exceeded/],
    [libre, 'html', /answered with a web page/],
    [openai, 'garbage', /answered without a translation/],
    [deepl, 'hang', /did not answer in time/],
  ];
  expect(segments.length).toBeGreaterThanOrEqual(cases.length);
  for (const [i, [local, mode, said]] of cases.entries()) {
    local.mode = mode;
    const body = (await translator.api.get(`/api/documents/small/locales/es/segments/${segments[i].id}/machine`).expect(200)).body;
    expect(body.notes.map((n: { label: string; message: string }) => `${n.label}: ${n.message}`).join('\n')).toMatch(said);
    expect(body.suggestions.length).toBe(2);
    local.mode = 'ok';
  }
  // What failed is not kept: asked again, every provider answers.
  expect((await translator.api.get(`/api/documents/small/locales/es/segments/${segments[cases.length - 1].id}/machine`).expect(200)).body.suggestions).toHaveLength(3);
});

test('a wrong key is said without the key, and the save path never waits on a provider', async () => {
  const bad = makeProject();
  bad.write('workbench.config.json', JSON.stringify({ machineTranslation: { providers: [{ type: 'openai', url: `${openai.url}/v1`, model: 'm', apiKey: 'sk-wrong-secret' }] } }));
  const other = await makeApp(bad);
  try {
    const [segment] = await startLocale(other.api, 'es');
    const body = (await other.api.get(`/api/documents/small/locales/es/segments/${segment.id}/machine`).expect(200)).body;
    expect(body.notes[0]).toMatchObject({ failure: 'refused-key' });
    expect(JSON.stringify(body)).not.toContain('sk-wrong-secret');
    openai.mode = 'hang';
    const started = Date.now();
    await other.api.put(`/api/documents/small/locales/es/segments/${segment.id}`).send({ target: 'Primera parte', baseRevision: 0 }).expect(200);
    expect(Date.now() - started).toBeLessThan(5000);
  } finally {
    bad.cleanup();
  }
});

test('a configuration that names an unknown provider, or misses what one needs, is refused at start', async () => {
  for (const providers of [[{ type: 'babelfish', url: 'http://x' }], [{ type: 'openai', url: 'http://x' }], [{ type: 'deepl' }], [{ type: 'libretranslate', url: 'ftp://x' }]]) {
    const p = makeProject();
    p.write('workbench.config.json', JSON.stringify({ machineTranslation: { providers } }));
    await expect(makeApp(p)).rejects.toThrow(/workbench\.config\.json: machineTranslation\.providers\[0\]/);
    p.cleanup();
  }
});
