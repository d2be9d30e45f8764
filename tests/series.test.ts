import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { series } from '../server/http/series';

/** An app with `handlers` run as one layer, then a route that answers what the series left on the request. */
function appWith(...handlers: Parameters<typeof series>) {
  const app = express();
  app.use(series(...handlers));
  app.get('/', (req, res) => {
    res.json({ seen: (req as Request & { seen?: string[] }).seen ?? [] });
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(418).json({ error: err.message });
  });
  return app;
}

const mark = (name: string) => (req: Request, _res: Response, next: NextFunction) => {
  const r = req as Request & { seen?: string[] };
  (r.seen ??= []).push(name);
  next();
};

describe('series', () => {
  it('runs its middleware in order, then the routes after it', async () => {
    const res = await request(appWith(mark('a'), mark('b'), mark('c'))).get('/');
    expect(res.body).toEqual({ seen: ['a', 'b', 'c'] });
  });

  it('hands an error given to next, thrown, or rejected to the error handlers, and skips the rest', async () => {
    const after = jest.fn((_req: Request, _res: Response, next: NextFunction) => next());
    for (const failing of [
      (_req: Request, _res: Response, next: NextFunction) => next(new Error('given')),
      () => {
        throw new Error('thrown');
      },
      async () => {
        throw new Error('rejected');
      },
    ]) {
      const res = await request(appWith(mark('a'), failing, after)).get('/');
      expect(res.status).toBe(418);
      expect(['given', 'thrown', 'rejected']).toContain(res.body.error);
    }
    expect(after).not.toHaveBeenCalled();
  });

  it('takes a value that is not truthy, given to next, for no error, as the router does', async () => {
    const res = await request(appWith(mark('a'), (_req: Request, _res: Response, next: NextFunction) => next(false), mark('b'))).get('/');
    expect(res.body).toEqual({ seen: ['a', 'b'] });
  });

  it('lets a middleware answer without going on', async () => {
    const res = await request(appWith(mark('a'), (_req: Request, res: Response) => void res.status(204).end(), mark('never'))).get('/');
    expect(res.status).toBe(204);
  });
});
