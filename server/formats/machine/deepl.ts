import { MachineError, postJson, translationIn, type MachineTranslate } from './machineProvider';

/**
 * DeepL API v2 (https://developers.deepl.com/docs/api-reference/translate): `POST /v2/translate`
 * with `Authorization: DeepL-Auth-Key <key>` and `{"text":[…],"source_lang","target_lang",
 * "context"?}` → `{"translations":[{"detected_source_language","text"}]}`; 403 for a wrong key,
 * 429 too many requests, 456 quota exceeded. A key ending in ":fx" is a free account
 * (api-free.deepl.com). English and Portuguese need a variant as the target (EN-US, EN-GB, PT-BR, PT-PT).
 */
export const deepl: MachineTranslate = async (config, request, signal) => {
  if (!config.key) throw new MachineError('refused-key', 'has no key configured');
  const base = config.url ?? (config.key.endsWith(':fx') ? 'https://api-free.deepl.com' : 'https://api.deepl.com');
  const [language, region] = request.targetLanguage.split('-');
  const upper = language.toUpperCase();
  const target = upper === 'EN' ? (region?.toUpperCase() === 'GB' ? 'EN-GB' : 'EN-US') : upper === 'PT' ? (region?.toUpperCase() === 'PT' ? 'PT-PT' : 'PT-BR') : upper === 'ZH' ? 'ZH' : upper;
  const context = [request.before, request.after].filter(Boolean).join('\n\n');
  const body: Record<string, unknown> = { text: [request.text], source_lang: request.sourceLanguage.split('-')[0].toUpperCase(), target_lang: target };
  if (context) body.context = context;
  const answer = (await postJson(`${base.replace(/\/+$/, '')}/v2/translate`, body, { Authorization: `DeepL-Auth-Key ${config.key}` }, signal)) as { translations?: { text?: unknown }[] };
  return translationIn(Array.isArray(answer?.translations) ? answer.translations[0]?.text : undefined);
};
