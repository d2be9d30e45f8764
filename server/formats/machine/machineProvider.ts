/** What a machine translation provider is asked: one paragraph, its languages, and what helps it. */
export interface MachineRequest {
  text: string;
  /** BCP 47 tags. */
  sourceLanguage: string;
  targetLanguage: string;
  /** The languages' names in English (for a prompt). */
  sourceName: string;
  targetName: string;
  /** The paragraphs before and after it, for context (not translated). */
  before?: string;
  after?: string;
  /** The glossary's terms found in the paragraph. */
  terms: { source: string; translations: string[]; forbidden: string[] }[];
}

/** A provider as configured in workbench.config.json (its key never leaves the server). */
export interface MachineProviderConfig {
  type: 'libretranslate' | 'deepl' | 'openai';
  /** Shown with its suggestions (default: the provider's name). */
  label?: string;
  /** The server's base address (LibreTranslate and OpenAI-compatible: required; DeepL: by its key). */
  url?: string;
  apiKey?: string;
  /** The environment variable that holds the key (instead of writing it in the file). */
  apiKeyEnv?: string;
  /** OpenAI-compatible: the model. */
  model?: string;
}

/** Why a provider gave no suggestion, said quietly in the panel. */
export type MachineFailure = 'timeout' | 'unreachable' | 'rate-limited' | 'refused-key' | 'http-error' | 'garbage' | 'language';

export class MachineError extends Error {
  constructor(
    readonly failure: MachineFailure,
    message: string,
  ) {
    super(message);
    this.name = 'MachineError';
  }
}

/** One provider's adapter: the request it documents, sent, and its answer read (a MachineError otherwise). */
export type MachineTranslate = (config: MachineProviderConfig & { key?: string }, request: MachineRequest, signal: AbortSignal) => Promise<string>;

/** Sends a JSON request and reads a JSON answer; every failure becomes a MachineError naming no key. */
export async function postJson(url: string, body: unknown, headers: Record<string, string>, signal: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers }, body: JSON.stringify(body), signal });
  } catch (err) {
    if (signal.aborted) throw new MachineError('timeout', 'did not answer in time');
    throw new MachineError('unreachable', `cannot be reached (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name})`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new MachineError(signal.aborted ? 'timeout' : 'unreachable', signal.aborted ? 'did not answer in time' : 'stopped answering');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const said = messageIn(json);
    const detail = said ? `: ${said.slice(0, 200)}` : '';
    if (response.status === 429 || response.status === 456) throw new MachineError('rate-limited', `is over its limit (HTTP ${response.status})${detail}`);
    if (response.status === 401 || response.status === 403) throw new MachineError('refused-key', `refused the key (HTTP ${response.status})${detail}`);
    throw new MachineError('http-error', `failed (HTTP ${response.status})${detail}`);
  }
  if (json === undefined) throw new MachineError('garbage', /^\s*</.test(text) ? 'answered with a web page, not a translation' : 'answered something that is not JSON');
  return json;
}

/** The message an error answer carries ({"error":"…"}, {"error":{"message"}}, {"message"}). */
function messageIn(json: unknown): string | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const { error, message } = json as { error?: unknown; message?: unknown };
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return typeof message === 'string' ? message : undefined;
}

/** A translation read from an answer: a non-empty string, else the answer is garbage. */
export function translationIn(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new MachineError('garbage', 'answered without a translation');
  return value;
}
