/**
 * The language of the environment, which the CLI speaks and the server's start-up lines are
 * written in, chosen as gettext programs (git, po4a…) choose theirs: the locale is LC_ALL, else
 * LC_MESSAGES, else LANG; unset, or "C"/"POSIX", it is English. Otherwise LANGUAGE, a list by
 * preference ("es:fr"), comes first, then the locale itself ("es_ES.UTF-8"). The first of them
 * the interface is translated into wins (`es-MX` takes `es`); none of them, English.
 */
export function environmentLanguage(env: NodeJS.ProcessEnv, available: readonly string[]): string {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  if (!locale || /^(C|POSIX)([._@]|$)/.test(locale)) return 'en';
  const wanted = [...(env.LANGUAGE ?? '').split(':'), locale];
  for (const name of wanted) {
    const tag = tagOf(name);
    if (!tag) continue;
    if (available.includes(tag)) return tag;
    const base = tag.split('-')[0];
    if (available.includes(base)) return base;
  }
  return 'en';
}

/** A POSIX locale name ("pt_BR.UTF-8@euro") as a BCP 47 tag ("pt-BR"), or undefined when it is none. */
function tagOf(name: string): string | undefined {
  const bare = name.trim().replace(/[.@].*$/, '').replace(/_/g, '-');
  if (!bare || /^(C|POSIX)$/.test(bare)) return undefined;
  try {
    return Intl.getCanonicalLocales(bare)[0];
  } catch {
    return undefined;
  }
}
