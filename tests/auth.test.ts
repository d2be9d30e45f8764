import request from 'supertest';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { createApp } from '../server/app';
import type { SetupGate } from '../server/auth/setupGate';
import { addAccount, anonymousAgent, browserAgent, csrfOf, makeApp, PASSWORD, startLocale, type Agent, type TestApp } from './helpers/app';
import { makeProject, type TestProject } from './helpers/project';

let t: TestApp;
let project: TestProject;
let translatorEs: Agent;

beforeEach(async () => {
  t = await makeApp();
  project = t.project;
  ({ api: translatorEs } = await addAccount(t.app, project, 'Ana', [{ kind: 'translator', locale: 'es' }]));
  await startLocale(t.api, 'es');
  await startLocale(t.api, 'fr');
});
afterEach(() => project.cleanup());

const firstId = async () => (await request(t.app).get('/api/documents/small/locales/es/segments').expect(200)).body.segments[0].id as string;

describe('roles are enforced on the server', () => {
  it('an anonymous user cannot write (401), through the API or a form', async () => {
    const id = await firstId();
    const res = await request(t.app).put(`/api/documents/small/locales/es/segments/${id}`).send({ target: 'x', baseRevision: 0 }).expect(401);
    expect(res.body.error.code).toBe('login-required');
    await request(t.app).post('/api/documents/small/locales').send({ code: 'de' }).expect(401);
    const { agent, csrf } = await anonymousAgent(t.app);
    await agent.post(`/documents/small/locales/es/segments/${id}`).type('form').send({ _csrf: csrf, target: 'x', baseRevision: '0' }).expect(401);
    expect(project.read('locales/es/small.xlf')).not.toContain('<target state="translated">x</target>');
  });

  it('anyone may read', async () => {
    await request(t.app).get('/documents/small/locales/es').expect(200);
    await request(t.app).get('/api/documents/small/locales/es/segments').expect(200);
  });

  it('a translator of es writes es, but not fr (403), cannot start other languages, update sources or manage people', async () => {
    const id = await firstId();
    await translatorEs.put(`/api/documents/small/locales/es/segments/${id}`).send({ target: 'Primera parte', baseRevision: 0 }).expect(200);
    const fr = await translatorEs.put(`/api/documents/small/locales/fr/segments/${id}`).send({ target: 'Première partie', baseRevision: 0 }).expect(403);
    expect(fr.body.error.message).toBe('Ana may not translate fr: an administrator can give you the translator role for it.');
    // Said in the language of whoever asks.
    const spanish = await translatorEs.put(`/api/documents/small/locales/fr/segments/${id}`).set('Accept-Language', 'es').send({ target: 'Première partie', baseRevision: 0 }).expect(403);
    expect(spanish.body.error.message).toBe('Ana no puede traducir fr: un administrador puede darte el rol de traductor de ese idioma.');
    await translatorEs.post('/api/documents/small/locales').send({ code: 'de' }).expect(403);
    const { agent, csrf } = await browserAgent(t.app, 'Ana');
    await agent.post(`/documents/small/source?_csrf=${encodeURIComponent(csrf)}`).attach('file', Buffer.from('# New\n\nText.\n'), 'small.md').expect(403);
    // In a browser, a page that says who is logged in and what to do.
    const refused = await agent.get('/admin/users').set('Accept', 'text/html').expect(403);
    expect(refused.text).toContain('You are logged in as Ana.');
    expect(refused.text).toContain('ask an administrator of the project');
    // Someone not logged in is offered the login, back to the page they asked for.
    const anonymous = await request(t.app).get('/admin/users').set('Accept', 'text/html').expect(401);
    expect(anonymous.text).toContain('href="/login?next=%2Fadmin%2Fusers"');
    expect(anonymous.text).toContain('Log in to continue');
    // The history credits the translator by name.
    expect((await projectRecords(project.dir).history.list('small', 'es')).map((e) => e.who)).toContain('Ana');
  });

  it('an unknown token → 401; a revoked token → 401', async () => {
    await request(t.app).get('/api/documents').set('Authorization', `Bearer wb_${'A'.repeat(43)}`).expect(401);
    await request(t.app).get('/api/documents').set('Authorization', 'Basic abc').expect(401);
    const { accounts } = projectRecords(project.dir);
    const { id, token } = await accounts.createToken('Ana');
    const id0 = await firstId();
    await request(t.app).put(`/api/documents/small/locales/es/segments/${id0}`).set('Authorization', `Bearer ${token}`).send({ target: 'a', baseRevision: 0 }).expect(200);
    await accounts.revokeToken('Ana', id);
    const res = await request(t.app).put(`/api/documents/small/locales/es/segments/${id0}`).set('Authorization', `Bearer ${token}`).send({ target: 'b', baseRevision: 1 }).expect(401);
    expect(res.body.error.code).toBe('token-invalid');
  });
});

describe('sessions', () => {
  it('a state-changing request with a session but without the CSRF token → 403, API calls included', async () => {
    const { agent, csrf } = await browserAgent(t.app, 'Ana');
    const id = await firstId();
    await agent.put(`/api/documents/small/locales/es/segments/${id}`).send({ target: 'x', baseRevision: 0 }).expect(403);
    await agent.post(`/documents/small/locales/es/segments/${id}`).type('form').send({ target: 'x', baseRevision: '0' }).expect(403);
    await agent.put(`/api/documents/small/locales/es/segments/${id}`).set('X-CSRF-Token', csrf).send({ target: 'x', baseRevision: 0 }).expect(200);
  });

  it('the session id changes at login (no fixation), and logout ends it on the server', async () => {
    const agent = request.agent(t.app);
    const login = await agent.get('/login').set('Cookie', 'wb_session=planted-by-an-attacker').expect(200);
    const res = await agent.post('/login').set('Cookie', `wb_session=planted-by-an-attacker; wb_csrf=${/wb_csrf=([^;]+)/.exec(String(login.headers['set-cookie']))?.[1]}`).type('form').send({ _csrf: csrfOf(login.text), name: 'Ana', password: PASSWORD }).expect(303);
    const cookie = String(res.headers['set-cookie']);
    const session = /wb_session=([^;]+)/.exec(cookie)?.[1];
    expect(session).toBeDefined();
    expect(session).not.toBe('planted-by-an-attacker');
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);

    // Logout ends the session on the server: the old cookie, replayed, is worth nothing.
    const browser = request.agent(t.app);
    const form = await browser.get('/login');
    const signedIn = await browser.post('/login').type('form').send({ _csrf: csrfOf(form.text), name: 'Ana', password: PASSWORD }).expect(303);
    const sid = /wb_session=([^;]+)/.exec(String(signedIn.headers['set-cookie']))?.[1];
    if (!sid) throw new Error('no session cookie');
    expect((await request(t.app).get('/').set('Cookie', `wb_session=${sid}`)).text).toContain('<span class="who">Ana</span>');
    await browser.post('/logout').type('form').send({ _csrf: csrfOf((await browser.get('/')).text) }).expect(303);
    expect((await request(t.app).get('/').set('Cookie', `wb_session=${sid}`)).text).not.toContain('class="who"');
  });

  it('password guessing → 429 after a few tries, for that account and for that address', async () => {
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get('/login')).text);
    for (let i = 0; i < 5; i++) await agent.post('/login').type('form').send({ _csrf: csrf, name: 'Ana', password: `wrong guess ${i}` }).expect(401);
    const blocked = await agent.post('/login').type('form').send({ _csrf: csrf, name: 'Ana', password: PASSWORD }).expect(429);
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
    // The same address trying other accounts is blocked too.
    await agent.post('/login').type('form').send({ _csrf: csrf, name: 'admin', password: PASSWORD }).expect(429);
  });

  it('60 logins sent at once from one address: only the first 5 get a password check, the rest 429', async () => {
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get('/login')).text);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => agent.post('/login').type('form').send({ _csrf: csrf, name: i % 2 ? 'Ana' : 'admin', password: `wrong guess ${i}` })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(55);
  });

  it('a right password after failures from the same address clears the account, and its own attempt does not count against the address', async () => {
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get('/login')).text);
    for (let i = 0; i < 3; i++) await agent.post('/login').type('form').send({ _csrf: csrf, name: 'Ana', password: `wrong guess ${i}` }).expect(401);
    await agent.post('/login').type('form').send({ _csrf: csrf, name: 'Ana', password: PASSWORD }).expect(303);
    // Three failures from this address so far, the right password not among them: two more are answered, the next is refused.
    for (let i = 0; i < 2; i++) await agent.post('/login').type('form').send({ _csrf: csrf, name: 'admin', password: `wrong ${i}` }).expect(401);
    await agent.post('/login').type('form').send({ _csrf: csrf, name: 'admin', password: 'wrong again' }).expect(429);
  });

  it('a wrong password is answered the same as an unknown name', async () => {
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get('/login')).text);
    const wrong = await agent.post('/login').type('form').send({ _csrf: csrf, name: 'Ana', password: 'not the password' }).expect(401);
    const unknown = await agent.post('/login').type('form').send({ _csrf: csrf, name: 'Nobody', password: 'not the password' }).expect(401);
    expect(wrong.text.replace(/value="[^"]*"/g, '')).toBe(unknown.text.replace(/value="[^"]*"/g, ''));
  });
});

describe('behind a TLS proxy', () => {
  /** The cookies a login sets, the proxy's header sent or not (the cookie is sent by hand: a client keeps a Secure cookie off plain HTTP). */
  async function loginCookies(app: Parameters<typeof request>[0], proto?: string): Promise<string[]> {
    const withProto = <T extends { set(name: string, value: string): T }>(req: T): T => (proto ? req.set('X-Forwarded-Proto', proto) : req);
    const login = await withProto(request(app).get('/login')).expect(200);
    const csrfCookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const res = await withProto(request(app).post('/login').set('Cookie', csrfCookie).type('form'))
      .send({ _csrf: csrfOf(login.text), name: 'admin', password: PASSWORD, next: '/' })
      .expect(303);
    return [...(login.headers['set-cookie'] as unknown as string[]), ...(res.headers['set-cookie'] as unknown as string[])];
  }

  it('with "trustProxy" set, cookies are Secure when the proxy says the request came over HTTPS; without it the header is not believed', async () => {
    const trusted = await makeApp();
    try {
      trusted.project.write('workbench.config.json', JSON.stringify({ trustProxy: 'loopback' }));
      const app = createApp({ dataDir: trusted.project.dir });
      // The session and CSRF cookies (the interface-language cookie holds no secret).
      const ours = (cookies: string[]) => cookies.filter((c) => /^wb_(session|csrf)=/.test(c));
      const over = ours(await loginCookies(app, 'https'));
      expect(over).toHaveLength(2);
      for (const cookie of over) expect(cookie).toMatch(/; Secure/);
      for (const cookie of ours(await loginCookies(app))) expect(cookie).not.toMatch(/; Secure/);
      for (const cookie of ours(await loginCookies(trusted.app, 'https'))) expect(cookie).not.toMatch(/; Secure/);
    } finally {
      trusted.project.cleanup();
    }
  });

  it('a wrong trustProxy is refused at start with the setting named', async () => {
    const bad = await makeApp();
    try {
      bad.project.write('workbench.config.json', JSON.stringify({ trustProxy: ['x'] }));
      expect(() => createApp({ dataDir: bad.project.dir })).toThrow(/trustProxy must be/);
    } finally {
      bad.project.cleanup();
    }
  });
});

describe('first start', () => {
  it('with no users, a one-time link creates the admin; there is no default password', async () => {
    const fresh = makeProject();
    try {
      const app = createApp({ dataDir: fresh.dir, log: () => undefined });
      const token = await (app.locals.setup as SetupGate).prepare();
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      await request(app).get('/setup/not-the-token').expect(404);
      const agent = request.agent(app);
      const form = await agent.get(`/setup/${token}`).expect(200);
      const short = await agent.post(`/setup/${token}`).type('form').send({ _csrf: csrfOf(form.text), name: 'Editor', password: 'short', password2: 'short' }).expect(400);
      expect(short.text).toContain('class="form-error"');
      await agent.post(`/setup/${token}`).type('form').send({ _csrf: csrfOf(form.text), name: 'Editor', password: PASSWORD, password2: PASSWORD }).expect(303);
      expect((await agent.get('/admin/users').expect(200)).text).toContain('Editor');
      // Used once: gone.
      await request(app).get(`/setup/${token}`).expect(404);
      expect(await (app.locals.setup as SetupGate).prepare()).toBeUndefined();
    } finally {
      fresh.cleanup();
    }
  });
});

describe('people', () => {
  it('the admin adds a translator from the people page; bad roles and names are refused', async () => {
    const { agent, csrf } = await browserAgent(t.app);
    const created = await agent.post('/admin/users').type('form').send({ _csrf: csrf, name: 'Bruno', roles: 'reviewer:es, translator:fr', password: PASSWORD }).expect(201);
    expect(created.text).toContain('Bruno can now log in.');
    const bad = await agent.post('/admin/users').type('form').send({ _csrf: csrf, name: 'Carla', roles: 'translator:../x', password: PASSWORD }).expect(400);
    expect(bad.text).toContain('class="form-error"');
    const xss = await agent.post('/admin/users').type('form').send({ _csrf: csrf, name: '<script>alert(1)</script>', roles: 'translator:es', password: PASSWORD }).expect(400);
    expect(xss.text).not.toContain('<script>alert(1)</script>');
    await browserAgent(t.app, 'Bruno');
  });
});

describe('a private project', () => {
  it('needs a login to read', async () => {
    project.write('workbench.config.json', JSON.stringify({ private: true }));
    const app = createApp({ dataDir: project.dir, log: () => undefined });
    const page = await request(app).get('/documents/small/locales/es').set('Accept', 'text/html').expect(303);
    expect(page.headers.location).toBe('/login?next=%2Fdocuments%2Fsmall%2Flocales%2Fes');
    await request(app).get('/api/documents').expect(401);
    await request(app).get('/healthz').expect(200);
    const { agent } = await browserAgent(app, 'Ana');
    await agent.get('/documents/small/locales/es').expect(200);
  });
});

describe('API tokens on the web', () => {
  it('a person makes a token (shown once), uses it, and revokes it; nobody else can revoke it', async () => {
    const { agent, csrf } = await browserAgent(t.app, 'Ana');
    const made = await agent.post('/account/tokens').type('form').send({ _csrf: csrf, label: 'my script' }).expect(201);
    const token = /<code data-new-token>([^<]+)<\/code>/.exec(made.text)?.[1];
    expect(token).toMatch(/^wb_[A-Za-z0-9_-]{43}$/);
    await request(t.app).get('/api/documents').set('Authorization', `Bearer ${token}`).expect(200);
    const page = await agent.get('/account').expect(200);
    expect(page.text).not.toContain(token);
    const id = /<code>([0-9a-f]+)<\/code> my script/.exec(page.text)?.[1];
    expect(id).toBeDefined();
    const { agent: other, csrf: otherCsrf } = await browserAgent(t.app);
    await other.post(`/account/tokens/${id}/revoke`).type('form').send({ _csrf: otherCsrf }).expect(404);
    await agent.post(`/account/tokens/${id}/revoke`).type('form').send({ _csrf: csrf }).expect(303);
    await request(t.app).get('/api/documents').set('Authorization', `Bearer ${token}`).expect(401);
    await request(t.app).get('/account').set('Accept', 'text/html').expect(401);
  });
});

describe('XSS payloads are stored verbatim and rendered escaped everywhere', () => {
  const payloads = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>', '"><svg onload=alert(1)>'];
  it('in translations, suggestions and comments, in the editor, the review view, the history and the feed', async () => {
    const id = await firstId();
    const text = payloads.join(' ');
    await translatorEs.put(`/api/documents/small/locales/es/segments/${id}`).send({ target: text, baseRevision: 0 }).expect(200);
    const { api: reviewer } = await addAccount(t.app, project, 'Rita', [{ kind: 'reviewer', locale: 'es' }]);
    await reviewer.post(`/api/documents/small/locales/es/segments/${id}/suggestions`).send({ text }).expect(201);
    await reviewer.post(`/api/documents/small/locales/es/segments/${id}/comments`).send({ text }).expect(201);
    const stored = await request(t.app).get('/api/documents/small/locales/es/segments').expect(200);
    expect(stored.body.segments[0].target).toBe(text);
    for (const url of ['/documents/small/locales/es', '/documents/small/locales/es/review', `/documents/small/locales/es/segments/${id}/history`, '/documents/small/locales/es/activity']) {
      const page = await request(t.app).get(url).expect(200);
      for (const payload of payloads) expect(page.text).not.toContain(payload);
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });
});
