import type { TFunction } from 'i18next';
import type { WorkbenchError } from './errors';

/**
 * An error's message in `language`, the interface language of whoever gets it (a request's, the
 * CLI user's). In English, the message as thrown (written where the error is, with its
 * particulars). In another language, its `errorDetails.<code>` key with the error's values when it
 * has them, else the general message of its code (`errors.<code>`) when there is one, else the
 * English message.
 */
export function errorMessage(error: WorkbenchError, t: TFunction | undefined, language: string | undefined): string {
  if (!t || !language || language.startsWith('en')) return error.message;
  if (error.params) {
    const said = String(t(`errorDetails.${error.code}`, { ...error.params, defaultValue: '' }));
    if (said) return said;
  }
  const general = String(t(`errors.${error.code}`, { defaultValue: '' }));
  return general || error.message;
}
