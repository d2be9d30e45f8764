import { Router, type Request, type Response } from 'express';
import type { Project } from '../application/createWorkbench';
import { MAX_GLOSSARY_BYTES, type GlossaryImportReport, type GlossaryTerm } from '../application/glossary';
import { actorOf } from '../auth/authenticate';
import { can } from '../auth/permissions';
import { PARTS_OF_SPEECH } from '../domain/glossaryTerm';
import { describeLocale } from '../domain/localeTag';
import { isWorkbenchError, WorkbenchError } from '../errors';
import { checkParams } from '../http/checkParams';
import { fileUpload } from '../http/fileUpload';
import { permitTranslatorOrReviewer } from '../http/permit';

/** The fields of the term form, as sent (kept on an error, so nothing typed is lost). */
interface TermForm {
  id?: string;
  revision?: string;
  source: string;
  translations: string;
  forbidden: string;
  partOfSpeech: string;
  note: string;
  caseSensitive: boolean;
}

const lines = (text: string): string[] => text.split(/\r?\n|;/).map((l) => l.trim()).filter(Boolean);

function formOf(body: Record<string, unknown>): TermForm {
  const field = (name: string): string => (typeof body[name] === 'string' ? (body[name] as string) : '');
  return {
    id: field('id') || undefined,
    revision: field('revision') || undefined,
    source: field('source'),
    translations: field('translations'),
    forbidden: field('forbidden'),
    partOfSpeech: field('partOfSpeech'),
    note: field('note'),
    caseSensitive: field('caseSensitive') === 'yes',
  };
}

function formFromTerm(term: GlossaryTerm): TermForm {
  return {
    id: term.id,
    revision: String(term.revision),
    source: term.source,
    translations: term.translations.join('\n'),
    forbidden: term.forbidden.join('\n'),
    partOfSpeech: term.partOfSpeech,
    note: term.note,
    caseSensitive: term.caseSensitive,
  };
}

/** The Glossary page of a language: its terms, searched; and, for its translators and reviewers, a form to add or change one, removal, and import (previewed) and export. */
export function glossaryPages(project: Project): Router {
  const router = Router();
  checkParams(router);
  const { glossary } = project;
  const editor = (req: Request, res: Response) => permitTranslatorOrReviewer(res, req.params.lang).actor;

  const render = async (req: Request, res: Response, extra: { form?: TermForm; error?: string; formError?: string; preview?: { id: string; report: GlossaryImportReport }; notice?: { key: string; values: Record<string, unknown> } } = {}) => {
    const lang = String(req.params.lang);
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const terms = await glossary.list(lang, q);
    const actor = actorOf(res);
    const canEdit = !!actor && (can(actor, 'translate', lang) || can(actor, 'review', lang));
    let form = extra.form;
    if (!form && canEdit && typeof req.query.edit === 'string') {
      const term = terms.find((x) => x.id === req.query.edit);
      if (term) form = formFromTerm(term);
    }
    res.render('glossary', {
      locale: describeLocale(lang, req.language ?? 'en'),
      terms,
      q,
      canEdit,
      form: form ?? { source: '', translations: '', forbidden: '', partOfSpeech: '', note: '', caseSensitive: false },
      partsOfSpeech: PARTS_OF_SPEECH,
      saved: typeof req.query.saved === 'string' ? req.query.saved : undefined,
      error: undefined,
      formError: undefined,
      preview: undefined,
      notice: undefined,
      ...extra,
    });
  };

  /** A refusal of a form shown on the page (with what was typed); anything else goes to the error page. */
  const shown = (err: unknown): WorkbenchError => {
    if (!isWorkbenchError(err) || err.status >= 500 || err.status === 401 || err.status === 403) throw err;
    return err;
  };

  router.get('/glossary/:lang', async (req, res) => render(req, res));

  router.post('/glossary/:lang/terms', async (req, res) => {
    const actor = editor(req, res);
    const form = formOf(req.body as Record<string, unknown>);
    try {
      const input = { source: form.source, translations: lines(form.translations), forbidden: lines(form.forbidden), partOfSpeech: form.partOfSpeech, note: form.note, caseSensitive: form.caseSensitive };
      const term = form.id
        ? await glossary.update(req.params.lang, form.id, { ...input, revision: Number(form.revision) }, actor.name)
        : await glossary.add(req.params.lang, input, actor.name);
      res.redirect(303, `/glossary/${req.params.lang}?saved=${encodeURIComponent(term.id)}#term-${term.id}`);
    } catch (err) {
      const e = shown(err);
      res.status(e.status);
      await render(req, res, { form, formError: e.message });
    }
  });

  router.post('/glossary/:lang/terms/:id/remove', async (req, res) => {
    editor(req, res);
    const revision = Number((req.body as Record<string, unknown>).revision);
    try {
      await glossary.remove(req.params.lang, req.params.id, revision);
      res.redirect(303, `/glossary/${req.params.lang}`);
    } catch (err) {
      const e = shown(err);
      res.status(e.status);
      await render(req, res, { error: e.message });
    }
  });

  router.post('/glossary/:lang/import', ...fileUpload(editor, MAX_GLOSSARY_BYTES), async (req, res) => {
    const actor = editor(req, res);
    try {
      if (!req.file) throw new WorkbenchError(400, 'file-missing', 'Choose the TBX or CSV file to import.');
      const preview = await glossary.stage(req.params.lang, req.file.buffer, { name: req.file.originalname || 'glossary', who: actor.name });
      await render(req, res, { preview });
    } catch (err) {
      const e = shown(err);
      res.status(e.status);
      await render(req, res, { error: e.message });
    }
  });

  router.post('/glossary/:lang/import/:staged', async (req, res) => {
    const actor = editor(req, res);
    try {
      const report = await glossary.confirm(req.params.lang, String(req.params.staged), actor.name);
      await render(req, res, { notice: { key: 'glossary.imported', values: { file: report.file, added: report.added.length, updated: report.updated.length } } });
    } catch (err) {
      const e = shown(err);
      res.status(e.status);
      await render(req, res, { error: e.message });
    }
  });

  return router;
}
