/** How long a "has it open" signal counts without being renewed. */
const FRESH_MS = 45_000;

/**
 * Who has which paragraph open, best effort: the editor reports the paragraph in focus every
 * few seconds and asks who else is where. Held in memory; nothing here is ever saved.
 */
export class Presence {
  private readonly seen = new Map<string, Map<string, { segment: string | null; at: number }>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records that `who` has `segment` (or nothing) open in a locale, and returns where the others are. */
  report(locale: string, who: string, segment: string | null): { who: string; segment: string }[] {
    const people = this.seen.get(locale) ?? new Map<string, { segment: string | null; at: number }>();
    people.set(who, { segment, at: this.now() });
    this.seen.set(locale, people);
    const others: { who: string; segment: string }[] = [];
    for (const [name, where] of people) {
      if (this.now() - where.at > FRESH_MS) people.delete(name);
      else if (name !== who && where.segment) others.push({ who: name, segment: where.segment });
    }
    return others;
  }
}
