import { MachineError, postJson, translationIn, type MachineTranslate } from './machineProvider';

/**
 * LibreTranslate (https://libretranslate.com/docs, `POST /translate`): `{"q","source","target",
 * "format":"text","api_key"?}` → `{"translatedText"}`; errors `{"error":"…"}` with 400, 403, 429, 500.
 * Languages are its two-letter codes (and zh-Hans/zh-Hant, pt-BR).
 */
export const libreTranslate: MachineTranslate = async (config, request, signal) => {
  if (!config.url) throw new MachineError('http-error', 'has no url configured');
  const code = (tag: string) => (/^(zh-Hant|zh-Hans|pt-BR)$/i.test(tag) ? tag : tag.split('-')[0].toLowerCase());
  const body: Record<string, string> = { q: request.text, source: code(request.sourceLanguage), target: code(request.targetLanguage), format: 'text' };
  if (config.key) body.api_key = config.key;
  const answer = (await postJson(`${config.url.replace(/\/+$/, '')}/translate`, body, {}, signal)) as { translatedText?: unknown };
  return translationIn(answer?.translatedText);
};
