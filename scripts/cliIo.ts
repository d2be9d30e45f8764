import type { TFunction } from 'i18next';
import { once } from '../server/once';
import { uiLanguages } from '../server/uiLanguages';
import { environmentLanguage } from '../server/environmentLanguage';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** All of standard input (or at least its first line), for --password-stdin; the real CLI reads process.stdin, showing `prompt` on a terminal. */
  stdin?: (prompt: string) => Promise<string>;
  /** True when standard error is a terminal: long work then shows a progress line there. */
  errIsTTY?: boolean;
}

/** A CliIo with the words of the user's language (see environmentLanguage): what every command writes with. */
export interface Cli extends CliIo {
  /** The interface catalog's strings (`locales/<lang>/ui.json`, its `cli` keys), in the user's language. */
  t: TFunction;
  /** That language, a tag of the interface's languages ('en' when none fits). */
  lang: string;
  /** A number as the language writes it (16,200; 16.200). */
  number(value: number): string;
  /** A fraction as a percentage the language writes (0.5: 50%; 50 %). */
  percent(fraction: number): string;
}

/**
 * The CLI's words for the user of `io` (see environmentLanguage), from `appRoot`'s interface catalogs:
 * English and, when another language is chosen, that one (the catalogs are read only for these,
 * and only once a command has something to say: `status --json` loads no i18next).
 */
export function cliOf(io: CliIo, appRoot: string): Cli {
  const lang = environmentLanguage(io.env, uiLanguages(appRoot));
  const fixed = once(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at the first word written (see above)
    const { wordsIn } = require('../server/i18n') as typeof import('../server/i18n');
    return wordsIn(appRoot, lang);
  });
  const t = ((...args: Parameters<TFunction>) => fixed()(...args)) as TFunction;
  const numbers = once(() => new Intl.NumberFormat(lang));
  const percents = once(() => new Intl.NumberFormat(lang, { style: 'percent' }));
  return { ...io, t, lang, number: (value) => numbers().format(value), percent: (fraction) => percents().format(fraction) };
}

/**
 * A progress line for long work (an import, a source update, an export of a book): on a terminal,
 * one line on standard error rewritten in place, cleared at the end; elsewhere (a pipe, a log, a
 * test), nothing at all.
 */
export function progressLine(io: CliIo): { say(message: string): void; done(): void } {
  if (!io.errIsTTY) return { say: () => undefined, done: () => undefined };
  let shown = false;
  return {
    say(message) {
      io.err(`\r\x1b[K${message}`);
      shown = true;
    },
    done() {
      if (shown) io.err('\r\x1b[K');
      shown = false;
    },
  };
}
