import type { Request } from 'express';
import { z } from 'zod';
import { WorkbenchError } from '../errors';

/** A whole number, 0 or more: revisions and history entry numbers. */
const count = z.number().int().min(0);

/**
 * The JSON bodies of the API, one schema per request. Strict: an unknown field is refused too, so
 * a misspelt `baseRevison` is a 400 naming it rather than a save without a conflict check. Lengths
 * and the rules of the workflow are the domain's to check (413 for a translation too long, 400 for
 * an empty comment); the shape is checked here, once.
 */
export const BODIES = {
  startLocale: z.strictObject({ code: z.string() }),
  // `machine`: the provider whose suggestion the text was made from (see MachineTranslation.served).
  save: z.strictObject({ target: z.string(), baseRevision: count, machine: z.strictObject({ provider: z.string().max(100) }).optional() }),
  revision: z.strictObject({ baseRevision: count }),
  reject: z.strictObject({ baseRevision: count, comment: z.string() }),
  revert: z.strictObject({ entry: count, baseRevision: count }),
  suggest: z.strictObject({ text: z.string() }),
  decide: z.strictObject({ accept: z.boolean(), baseRevision: count.optional() }),
  comment: z.strictObject({ text: z.string(), thread: z.string().optional() }),
  empty: z.strictObject({}),
  // No segment (or null): the person has no paragraph open.
  presence: z.strictObject({ segment: z.string().nullable().optional() }),
  title: z.strictObject({ title: z.string() }),
  term: z.strictObject({
    source: z.string(),
    translations: z.array(z.string()).optional(),
    forbidden: z.array(z.string()).optional(),
    partOfSpeech: z.string().optional(),
    note: z.string().optional(),
    caseSensitive: z.boolean().optional(),
    sourceLanguage: z.string().optional(),
    revision: count.optional(),
  }),
  replace: z.strictObject({
    find: z.string(),
    replace: z.string(),
    mode: z.enum(['words', 'phrase', 'regex']).optional(),
    dryRun: z.boolean().optional(),
    revisions: z.record(z.string(), count).optional(),
  }),
} as const;

function describe(issue: z.core.$ZodIssue, body: Record<string, unknown>): { field: string; message: string } {
  if (issue.code === 'unrecognized_keys') {
    const field = issue.keys[0];
    return { field, message: `"${field}" is not a field of this request.` };
  }
  const field = issue.path.map(String).join('.') || '(body)';
  if (issue.code === 'invalid_type' && issue.path.length === 1 && body[String(issue.path[0])] === undefined) return { field, message: `"${field}" is missing.` };
  if ((issue.code === 'invalid_type' && issue.expected === 'int') || issue.code === 'too_small' || issue.code === 'too_big') {
    return { field, message: `"${field}" must be a whole number, 0 or more.` };
  }
  if (issue.code === 'invalid_type') return { field, message: `"${field}" must be ${article(issue.expected)}.` };
  return { field, message: `"${field}": ${issue.message}.` };
}

function article(expected: string): string {
  const words: Record<string, string> = { string: 'text', number: 'a number', boolean: 'true or false', object: 'a JSON object' };
  return words[expected] ?? expected;
}

/** The body of a JSON request, checked against its schema; 400 naming the first wrong field (all of them in `details.fields`). */
export function parseBody<T extends z.ZodType>(schema: T, req: Pick<Request, 'body'>): z.infer<T> {
  const body: unknown = req.body === undefined ? {} : req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
    throw new WorkbenchError(400, 'invalid-body', 'The request body must be a JSON object.', { details: { field: '(body)' } });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describe(issue, body as Record<string, unknown>));
  throw new WorkbenchError(400, 'invalid-body', problems[0].message, { details: { field: problems[0].field, fields: problems.map((p) => p.field) } });
}
