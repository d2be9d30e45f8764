import { addAccount, startLocale, type Agent, type TestApp } from './app';

/** Spanish words for the small document's paragraphs, by position. */
export const SPANISH = [
  'Primera parte',
  'El primer párrafo, con un [enlace](https://example.org/a).',
  'El segundo párrafo.',
  'Una subsección',
  'Un elemento de una lista.',
  'Otro elemento.',
  'Segunda parte',
  'El último párrafo.',
];

/** People of a locale: a translator (Ana) and a reviewer (Bruno). */
export interface Team {
  ana: Agent;
  bruno: Agent;
  anaToken: string;
  ids: string[];
}

/** Starts `code` for the small document with a translator and a reviewer; translates the first `translate` paragraphs and approves the first `approve`. */
export async function teamLocale(t: TestApp, options: { code?: string; translate?: number; approve?: number } = {}): Promise<Team> {
  const code = options.code ?? 'es';
  const { api: ana, token: anaToken } = await addAccount(t.app, t.project, 'Ana', [{ kind: 'translator', locale: code }]);
  const { api: bruno } = await addAccount(t.app, t.project, 'Bruno', [{ kind: 'reviewer', locale: code }]);
  const ids = (await startLocale(t.api, code)).map((s) => s.id);
  const translate = options.translate ?? ids.length;
  const approve = options.approve ?? translate;
  for (const [i, id] of ids.slice(0, translate).entries()) {
    await ana.put(`/api/documents/small/locales/${code}/segments/${id}`).send({ target: SPANISH[i], baseRevision: 0 }).expect(200);
  }
  for (const id of ids.slice(0, approve)) {
    await bruno.post(`/api/documents/small/locales/${code}/segments/${id}/approve`).send({ baseRevision: 1 }).expect(200);
  }
  return { ana, bruno, anaToken, ids };
}

/** GETs a file as bytes (whatever its type). */
export async function download(agent: Agent, url: string, status = 200): Promise<{ body: Buffer; type: string; disposition: string }> {
  const res = await agent
    .get(url)
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    })
    .expect(status);
  return { body: res.body as Buffer, type: String(res.headers['content-type']), disposition: String(res.headers['content-disposition'] ?? '') };
}
