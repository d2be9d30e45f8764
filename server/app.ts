import { alignRoutes } from './routes/alignRoutes';
import { gitRoutes } from './routes/gitRoutes';
import path from 'node:path';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { WorkbenchError } from './errors';
import { csrfProtection } from './http/csrf';
import { errorHandler, notFound } from './http/errorHandler';
import { viewLocals } from './http/viewLocals';
import { liveEvents } from './http/liveEvents';
import { peoplePages } from './routes/peoplePages';
import { uiLanguage } from './http/uiLanguage';
import { LanguageDetector } from 'i18next-http-middleware';
import { createI18n, uiLanguages } from './i18n';
import { apiRoutes } from './routes/apiRoutes';
import { pageRoutes } from './routes/pageRoutes';
import { APP_ROOT } from './appRoot';
import { createProject } from './application/createWorkbench';
import { editionApi } from './routes/editionApi';
import { glossaryApi } from './routes/glossaryApi';
import { machineApi } from './routes/machineApi';
import { glossaryPages } from './routes/glossaryPages';
import { searchApi } from './routes/searchApi';
import { searchPages } from './routes/searchPages';
import { editionPages } from './routes/editionPages';
import { authenticate } from './auth/authenticate';
import { SetupGate } from './auth/setupGate';
import { requireLoginToRead } from './http/requireLoginToRead';
import { series } from './http/series';
import { readProjectConfig } from './application/projectConfig';
import { authRoutes } from './routes/authRoutes';

export { APP_ROOT };

export interface AppOptions {
  /** The project folder: holds `source/`, `locales/` and `workbench.db`. */
  dataDir: string;
  /** Run the database's integrity check before serving (the server does; tests need not). */
  checkDatabase?: boolean;
  log?: (message: string, err: unknown) => void;
  /**
   * Saves are acknowledged once journaled and their locale file is written this many milliseconds
   * after (see LocaleStore's writeBehindMs): the server's 1000. Without, each save writes its file first.
   */
  writeBehindMs?: number;
}

/**
 * A form post to a page that arrives with no fields at all (no body, or a type no parser reads) is
 * refused with 400 before any route looks at it. API routes check their JSON bodies themselves
 * (parseBody) and uploads are read by their own route (multipart, raw XML).
 */
function formBodyRequired(req: Request, _res: Response, next: NextFunction): void {
  const writes = req.method === 'POST' || req.method === 'PUT';
  if (writes && req.body === undefined && !req.path.startsWith('/api/') && !req.is('multipart/form-data')) {
    next(new WorkbenchError(400, 'form-missing', 'This form arrived without its fields: reload the page and send it again.'));
    return;
  }
  // A multipart form is read by the upload routes (which replace the body); to any other form route
  // it is a form without the fields it reads, refused by that route's own checks.
  if (writes && req.body === undefined && !req.path.startsWith('/api/')) req.body = {};
  next();
}

/** Builds the Express app (no port: server.ts listens, tests use supertest). */
export function createApp(options: AppOptions): Express {
  // Read once: the same languages are loaded and offered in the switcher.
  const languages = uiLanguages(APP_ROOT);
  const i18n = createI18n(APP_ROOT, languages, LanguageDetector);
  const project = createProject(options.dataDir, { i18n, check: options.checkDatabase, serving: true, writeBehindMs: options.writeBehindMs });
  const { workbench } = project;
  const { accounts, sessions, throttle } = project.records;
  const config = readProjectConfig(options.dataDir);
  const setup = new SetupGate(accounts);
  const app = express();
  app.disable('x-powered-by');
  app.set('view engine', 'ejs');
  app.set('views', path.join(APP_ROOT, 'views'));
  // Behind a TLS proxy (nginx, Caddy) the request's protocol and address come from its headers,
  // trusted only from where the project says the proxy is: then cookies are Secure over HTTPS.
  app.set('trust proxy', config.trustProxy ?? false);

  app.use((_req, res, next) => {
    res.set('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'same-origin');
    next();
  });
  // Pages, API answers and exports compressed when the client takes it (an editor page of a book
  // is hundreds of kilobytes of HTML; gzip makes it a tenth). Not the short answers of saves: a
  // kilobyte or two gains little, and gzip costs more than the rest of the answer. Answers to PUT
  // and DELETE are never that long, so they skip the middleware, whose wrapping of every answer
  // cost a save more than the compression it never did.
  const compress = compression({ threshold: '4kb' });
  // Nor live streams: compression would hold their events back until it has a block to send.
  app.use((req, res, next) => (req.method === 'PUT' || req.method === 'DELETE' || req.path.endsWith('/events') ? next() : compress(req, res, next)));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  // The browser script is compiled from public/editor.ts into dist/public by `npm run build`.
  app.use('/assets', express.static(path.join(APP_ROOT, 'dist', 'public'), { maxAge: '1h' }));
  app.use('/assets', express.static(path.join(APP_ROOT, 'public'), { maxAge: '1h' }));
  // What every request goes through, as one layer (see series). The language first: a body
  // refused by the parsers after it is answered in it.
  app.use(
    series(
      cookieParser(),
      uiLanguage(i18n),
      express.json({ limit: '1mb' }),
      express.urlencoded({ extended: false, limit: '1mb' }),
      formBodyRequired,
      authenticate(accounts, sessions),
      csrfProtection(),
      viewLocals(languages),
      ...(config.private ? [requireLoginToRead()] : []),
    ),
  );

  // The API first: a save is not matched against the sign-in pages' routes on its way.
  const live = liveEvents(workbench.translations.changes);
  app.use('/api', apiRoutes(workbench, project.machine, live));
  app.use('/api', editionApi(project));
  app.use('/api', searchApi(project));
  app.use('/api', glossaryApi(project));
  app.use('/api', machineApi(project));
  app.use('/', gitRoutes(project));
  app.use('/', alignRoutes(project));
  app.use('/', authRoutes({ accounts, sessions, throttle, setup }));
  app.use('/', peoplePages({ accounts, sessions, languages: () => workbench.localeCodes() }));
  app.use('/', pageRoutes(workbench, project.machine, project.imports));
  app.use('/', editionPages(project));
  app.use('/', searchPages(project));
  app.use('/', glossaryPages(project));
  app.use(notFound);
  app.use(errorHandler(options.log));
  app.locals.setup = setup;
  app.locals.config = config;
  app.locals.project = project;
  app.locals.live = live;
  return app;
}
