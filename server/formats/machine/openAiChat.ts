import { MachineError, postJson, translationIn, type MachineRequest, type MachineTranslate } from './machineProvider';

/** The prompt: the paragraph, its neighbours as context, and the glossary's terms. */
export function promptOf(request: MachineRequest): { system: string; user: string } {
  const terms = request.terms
    .map((t) => `- ${t.source} → ${t.translations.join(' / ') || '(no translation given)'}${t.forbidden.length ? ` (never: ${t.forbidden.join(', ')})` : ''}`)
    .join('\n');
  const system = [
    `You translate a book from ${request.sourceName} (${request.sourceLanguage}) into ${request.targetName} (${request.targetLanguage}), one paragraph at a time.`,
    'Keep its Markdown inline markup, links and numbers as they are. Answer with the translation of the paragraph only: no notes, no quotation marks around it.',
    terms ? `Use these terms of the project's glossary:\n${terms}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const user = [
    request.before ? `The paragraph before (context, not to translate):\n${request.before}` : '',
    request.after ? `The paragraph after (context, not to translate):\n${request.after}` : '',
    `The paragraph to translate:\n${request.text}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  return { system, user };
}

/**
 * An OpenAI-compatible chat endpoint (https://platform.openai.com/docs/api-reference/chat/create;
 * also Ollama, llama.cpp, vLLM, LocalAI): `POST {url}/chat/completions` with `Authorization: Bearer`
 * and `{"model","messages":[{"role","content"}],"temperature"}` → `{"choices":[{"message":{"content"}}]}`;
 * errors `{"error":{"message","type","code"}}` with 401, 429, 500.
 */
export const openAiChat: MachineTranslate = async (config, request, signal) => {
  if (!config.url || !config.model) throw new MachineError('http-error', 'needs a url and a model configured');
  const { system, user } = promptOf(request);
  const headers: Record<string, string> = config.key ? { Authorization: `Bearer ${config.key}` } : {};
  const answer = (await postJson(
    `${config.url.replace(/\/+$/, '')}/chat/completions`,
    { model: config.model, temperature: 0, messages: [{ role: 'system', content: system }, { role: 'user', content: user }] },
    headers,
    signal,
  )) as { choices?: { message?: { content?: unknown } }[] };
  const content = translationIn(Array.isArray(answer?.choices) ? answer.choices[0]?.message?.content : undefined);
  return content.trim();
};
