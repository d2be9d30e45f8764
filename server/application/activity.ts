import type { WorkbenchStores } from './syncLocale';
import type { Workbench } from './workbench';

/** Who did what in a locale: the newest changes, and how many of each kind every person made. */
export class Activity {
  constructor(
    private readonly stores: WorkbenchStores,
    private readonly workbench: Pick<Workbench, 'locale'>,
  ) {}

  /** A locale's activity, newest first (optionally one person's), and how many changes each person made. */
  async activity(documentId: string, lang: string, options: { who?: string; limit?: number } = {}) {
    const context = await this.workbench.locale(documentId, lang);
    const { id } = context.document;
    const code = context.locale.code;
    const feed = await this.stores.history.recent(id, code, { who: options.who, limit: options.limit ?? 200 });
    return { context, feed, contributions: await this.stores.history.contributions(id, code) };
  }
}
