/**
 * `compute` remembered by its text: for what is worked out of source paragraphs, which come again
 * at every save of their paragraph (a book has tens of thousands). Past `max` texts, it starts over.
 */
export function memoOfTexts<T>(compute: (text: string) => T, max = 50_000): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let value = known.get(text);
    if (value === undefined && !known.has(text)) {
      if (known.size >= max) known.clear();
      value = compute(text);
      known.set(text, value);
    }
    return value as T;
  };
}

/** memoOfTexts for a computation that also takes a language: one memo per language. */
export function memoOfTextsIn<T>(compute: (text: string, language: string) => T, max = 50_000): (text: string, language: string) => T {
  const byLanguage = new Map<string, (text: string) => T>();
  return (text, language) => {
    let memo = byLanguage.get(language);
    if (!memo) byLanguage.set(language, (memo = memoOfTexts((t) => compute(t, language), max)));
    return memo(text);
  };
}
