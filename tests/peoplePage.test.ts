import request from 'supertest';
import { projectRecords } from '../server/storage/sql/projectRecords';
import { addAccount, anonymousAgent, browserAgent, csrfOf, PASSWORD, startLocale, useTestApp } from './helpers/app';

// The people page as an administrator uses it: roles ticked per language, changed later, a
// one-time link to set a new password, accounts deactivated and reactivated; what was typed is
// kept when a form is refused, and the project always keeps an active administrator.
const t = useTestApp();

async function logIn(name: string, password = PASSWORD): Promise<number> {
  const { agent, csrf } = await anonymousAgent(t.app);
  return (await agent.post('/login').type('form').send({ _csrf: csrf, name, password, next: '/' })).status;
}

describe('the people page', () => {
  it('adds a person with roles ticked per language, and keeps what was typed when refused', async () => {
    await startLocale(t.api, 'es');
    const { agent, csrf } = await browserAgent(t.app);
    const page = await agent.get('/admin/users').expect(200);
    expect(page.text).toContain('name="role" value="translator:es"');
    expect(page.text).toContain('name="role" value="reviewer:es"');
    expect(page.text).not.toContain('placeholder="translator:es, reviewer:fr"'); // no free-text roles field as the way in

    const refused = await agent.post('/admin/users').type('form').send({ _csrf: csrf, name: 'Carla', role: ['reviewer:es'], otherRoles: 'translator:../x', password: PASSWORD }).expect(400);
    expect(refused.text).toContain('class="form-error"');
    expect(refused.text).toContain('value="Carla"');
    expect(refused.text).toMatch(/id="new-reviewer-es"[^>]*checked/);
    expect(refused.text).toContain('value="translator:../x"');

    const created = await agent.post('/admin/users').type('form').send({ _csrf: csrf, name: 'Bruno', role: ['translator:es', 'reviewer:es'], otherRoles: 'translator:pt-br', password: PASSWORD }).expect(201);
    expect(created.text).toContain('Bruno can now log in.');
    expect((await projectRecords(t.project.dir).accounts.getUser('Bruno'))?.roles).toEqual([
      { kind: 'translator', locale: 'es' },
      { kind: 'reviewer', locale: 'es' },
      { kind: 'translator', locale: 'pt-BR' },
    ]);
    // A language someone has a role in is offered from then on.
    expect((await agent.get('/admin/users').expect(200)).text).toContain('name="role" value="translator:pt-BR"');
  });

  it("changes a person's roles, and never leaves the project without an active administrator", async () => {
    await addAccount(t.app, t.project, 'Bruno', [{ kind: 'translator', locale: 'es' }]);
    await startLocale(t.api, 'es');
    const { agent, csrf } = await browserAgent(t.app);
    const changed = await agent.post('/admin/users/Bruno/roles').type('form').send({ _csrf: csrf, role: 'reviewer:es' }).expect(303);
    expect(changed.headers.location).toBe('/admin/users?changed=Bruno#user-Bruno');
    expect((await projectRecords(t.project.dir).accounts.getUser('Bruno'))?.roles).toEqual([{ kind: 'reviewer', locale: 'es' }]);
    // Bruno's next request already has the new roles.
    const bruno = await browserAgent(t.app, 'Bruno');
    expect((await bruno.agent.get('/documents/small/locales/es').expect(200)).text).toContain('You review this language');

    const alone = await agent.post('/admin/users/admin/roles').type('form').send({ _csrf: csrf, role: 'translator:es' }).expect(409);
    expect(alone.text).toContain('admin is the only active administrator');
    expect(alone.text).toMatch(/<details class="person-edit" open>/);
    const none = await agent.post('/admin/users/Bruno/roles').type('form').send({ _csrf: csrf }).expect(400);
    expect(none.text).toContain('Give at least one role');
    await agent.post('/admin/users/admin/deactivate').type('form').send({ _csrf: csrf }).expect(400);
    await agent.post('/admin/users/Nobody/roles').type('form').send({ _csrf: csrf, role: 'admin' }).expect(404);
    // Only an administrator changes people.
    await bruno.agent.post('/admin/users/Bruno/roles').type('form').send({ _csrf: bruno.csrf, role: 'admin' }).expect(403);
  });

  it('gives a one-time link to set a new password, which works once', async () => {
    await addAccount(t.app, t.project, 'Bruno', [{ kind: 'translator', locale: 'es' }]);
    const { agent, csrf } = await browserAgent(t.app);
    const made = await agent.post('/admin/users/Bruno/reset').type('form').send({ _csrf: csrf }).expect(200);
    const link = /data-reset-link>([^<]+)</.exec(made.text)?.[1] ?? '';
    const path = new URL(link).pathname;
    expect(path).toMatch(/^\/reset\/wb_[A-Za-z0-9_-]{43}$/);

    const visitor = request.agent(t.app);
    const form = await visitor.get(path).expect(200);
    expect(form.text).toContain('Choose a new password for Bruno');
    const differ = await visitor.post(path).type('form').send({ _csrf: csrfOf(form.text), password: 'a brand new password', password2: 'another one entirely' }).expect(400);
    expect(differ.text).toContain('The two passwords differ.');
    const short = await visitor.post(path).type('form').send({ _csrf: csrfOf(form.text), password: 'short', password2: 'short' }).expect(400);
    expect(short.text).toContain('class="form-error"');
    await visitor.post(path).type('form').send({ _csrf: csrfOf(form.text), password: 'a brand new password', password2: 'a brand new password' }).expect(303);
    // Logged in by it; the old password no longer works, the new one does; the link is used up.
    expect((await visitor.get('/account').expect(200)).text).toContain('Bruno');
    expect(await logIn('Bruno')).toBe(401);
    expect(await logIn('Bruno', 'a brand new password')).toBe(303);
    const again = await request(t.app).get(path).set('Accept', 'text/html').expect(404);
    expect(again.text).toContain('does not work any more');
    await request(t.app).get('/reset/not-a-token').expect(404);
  });

  it("deactivates an account (no login, no token, sessions ended; its history stays credited) and reactivates it", async () => {
    const { token } = await addAccount(t.app, t.project, 'Bruno', [{ kind: 'translator', locale: 'es' }]);
    const [first] = await startLocale(t.api, 'es');
    await request(t.app).put(`/api/documents/small/locales/es/segments/${first.id}`).set('Authorization', `Bearer ${token}`).send({ target: 'Primera parte', baseRevision: 0 }).expect(200);
    const session = await browserAgent(t.app, 'Bruno');
    const { agent, csrf } = await browserAgent(t.app);
    const link = await agent.post('/admin/users/Bruno/reset').type('form').send({ _csrf: csrf }).expect(200);
    const resetPath = new URL(/data-reset-link>([^<]+)</.exec(link.text)?.[1] ?? '').pathname;

    await agent.post('/admin/users/Bruno/deactivate').type('form').send({ _csrf: csrf }).expect(303);
    expect((await agent.get('/admin/users').expect(200)).text).toMatch(/deactivated on/);
    expect(await logIn('Bruno')).toBe(401);
    await request(t.app).get('/api/documents').set('Authorization', `Bearer ${token}`).expect(401);
    // The browser Bruno had open is logged out; the reset link made before died with the account.
    expect((await session.agent.get('/').expect(200)).text).toContain('/login?next=');
    await request(t.app).get(resetPath).expect(404);
    // Bruno's work stays his.
    expect((await projectRecords(t.project.dir).history.list('small', 'es')).map((e) => e.who)).toContain('Bruno');
    await agent.post('/admin/users/Bruno/reset').type('form').send({ _csrf: csrf }).expect(409);

    await agent.post('/admin/users/Bruno/activate').type('form').send({ _csrf: csrf }).expect(303);
    expect(await logIn('Bruno')).toBe(303);
    await request(t.app).get('/api/documents').set('Authorization', `Bearer ${token}`).expect(200);
  });
});
