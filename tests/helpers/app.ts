import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app';
import { makeProject, type TestProject } from './project';

/** An app over a fresh test project; errors the app logs are collected instead of printed. */
export function makeApp(project: TestProject = makeProject()): { app: Express; project: TestProject; logged: unknown[] } {
  const logged: unknown[] = [];
  const app = createApp({ dataDir: project.dir, log: (_message, err) => logged.push(err) });
  return { app, project, logged };
}

/** A browser-like agent that has loaded a page, so it holds the CSRF cookie; returns it with the token. */
export async function browserAgent(app: Express): Promise<{ agent: ReturnType<typeof request.agent>; csrf: string }> {
  const agent = request.agent(app);
  const page = await agent.get('/').expect(200);
  const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
  if (!match) throw new Error('The dashboard has no CSRF token in its form');
  return { agent, csrf: match[1] };
}

/** Starts a locale through the API and returns its segments. */
export async function startLocale(app: Express, code = 'es', doc = 'small') {
  await request(app).post(`/api/documents/${doc}/locales`).send({ code }).expect(201);
  const res = await request(app).get(`/api/documents/${doc}/locales/${code}/segments`).expect(200);
  return res.body.segments as { id: string; kind: string; source: string; target: string | null; state: string; revision: number }[];
}
