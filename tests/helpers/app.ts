import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../server/accounts/types';
import { createApp } from '../../server/app';
import { projectRecords } from '../../server/storage/sql/projectRecords';
import { makeProject, type TestProject } from './project';

/** The password of every account the tests make. */
export const PASSWORD = 'a long enough password';

export type Agent = ReturnType<typeof request.agent>;

/** An app over a test project with an admin; `api` is an agent that sends the admin's API token. */
export interface TestApp {
  app: Express;
  project: TestProject;
  logged: unknown[];
  admin: { name: string; token: string };
  api: Agent;
}

/** Makes an account (with PASSWORD) and an API token for it; returns an agent that sends the token. */
export async function addAccount(app: Express, project: TestProject, name: string, roles: Role[]): Promise<{ token: string; api: Agent }> {
  const { accounts } = projectRecords(project.dir);
  await accounts.addUser(name, roles, PASSWORD);
  const { token } = await accounts.createToken(name, 'tests');
  return { token, api: request.agent(app).set('Authorization', `Bearer ${token}`) };
}

/** An app over a fresh test project with an admin account; errors the app logs are collected instead of printed. */
export async function makeApp(project: TestProject = makeProject()): Promise<TestApp> {
  const logged: unknown[] = [];
  const app = createApp({ dataDir: project.dir, log: (_message, err) => logged.push(err) });
  const { token, api } = await addAccount(app, project, 'admin', [{ kind: 'admin' }]);
  return { app, project, logged, admin: { name: 'admin', token }, api };
}

/**
 * Gives each test of the calling file a fresh app, as makeApp makes it, and removes its project
 * after the test: call at the top of the file and read the fields inside tests (reading one
 * outside a test throws).
 */
export function useTestApp(): TestApp {
  let current: TestApp | undefined;
  beforeEach(async () => {
    current = await makeApp();
  });
  afterEach(() => {
    current?.project.cleanup();
    current = undefined;
  });
  function now(): TestApp {
    if (!current) throw new Error('useTestApp: the app exists only while a test runs');
    return current;
  }
  return {
    get app() {
      return now().app;
    },
    get project() {
      return now().project;
    },
    get logged() {
      return now().logged;
    },
    get admin() {
      return now().admin;
    },
    get api() {
      return now().api;
    },
  };
}

/** The CSRF token in a page's forms. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('The page has no CSRF token in its forms');
  return match[1];
}

/** A browser-like agent logged in as `name` (default: the admin), with the CSRF token its pages carry. */
export async function browserAgent(app: Express, name = 'admin'): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(app);
  const login = await agent.get('/login').expect(200);
  await agent.post('/login').type('form').send({ _csrf: csrfOf(login.text), name, password: PASSWORD, next: '/' }).expect(303);
  const page = await agent.get('/').expect(200);
  return { agent, csrf: csrfOf(page.text) };
}

/** An anonymous browser-like agent that has loaded a page (so it holds the CSRF cookie). */
export async function anonymousAgent(app: Express): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(app);
  // The login page: the one form someone not logged in is shown.
  const page = await agent.get('/login').expect(200);
  return { agent, csrf: csrfOf(page.text) };
}

/** Starts a locale through the API and returns its segments. */
export async function startLocale(api: Agent, code = 'es', doc = 'small') {
  await api.post(`/api/documents/${doc}/locales`).send({ code }).expect(201);
  const res = await api.get(`/api/documents/${doc}/locales/${code}/segments`).expect(200);
  return res.body.segments as { id: string; kind: string; source: string; target: string | null; state: string; revision: number }[];
}
