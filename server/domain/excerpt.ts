/** The first 120 characters of a text, with an ellipsis when it is longer: a paragraph named in a list. */
export function excerpt(text: string, length = 120): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
