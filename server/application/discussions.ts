import type { Progress } from '../domain/computeProgress';
import { WorkbenchError } from '../errors';
import { newDiscussionId, type Suggestion, type Thread } from '../storage/discussionRepository';
import type { SegmentView } from './segmentViews';
import type { WorkbenchStores } from './syncLocale';
import { checkTarget, type Translations } from './translations';
import type { LocaleContext, Workbench } from './workbench';

/** Suggestions (another wording, accepted or declined) and conversations about a locale's paragraphs. */
export class Discussions {
  constructor(
    private readonly stores: WorkbenchStores,
    private readonly workbench: Pick<Workbench, 'locale'>,
    private readonly translations: Translations,
  ) {}

  /**
   * Proposes another wording. A reviewer may always; a translator of the locale only for a
   * paragraph someone else translated (`canReview` says which the person is).
   */
  async suggest(documentId: string, lang: string, segmentId: string, input: { text?: unknown }, who: string, canReview: boolean): Promise<Suggestion> {
    const context = await this.workbench.locale(documentId, lang);
    if (!context.document.segments.some((s) => s.id === segmentId && s.translatable)) throw new WorkbenchError(404, 'segment-not-found', 'There is no such paragraph.');
    const text = checkTarget(input.text);
    if (text.trim() === '') throw new WorkbenchError(400, 'suggestion-empty', 'A suggestion needs a text.');
    if (!canReview && (await this.translations.lastAuthor(documentId, lang, segmentId)) === who) {
      throw new WorkbenchError(403, 'own-paragraph', 'This is your own translation: edit it instead of suggesting.');
    }
    const suggestion: Suggestion = { id: newDiscussionId(), segment: segmentId, author: who, text, createdAt: new Date().toISOString(), status: 'open' };
    await this.stores.discussions.addSuggestion(context.document.id, context.locale.code, suggestion);
    return suggestion;
  }

  /** Accepts (the translation becomes the suggestion, credited to both) or declines a suggestion. */
  async decideSuggestion(documentId: string, lang: string, suggestionId: string, input: { accept?: unknown; baseRevision?: unknown }, who: string) {
    const context = await this.workbench.locale(documentId, lang);
    const suggestion = await this.stores.discussions.suggestion(context.document.id, context.locale.code, suggestionId);
    if (!suggestion) throw new WorkbenchError(404, 'suggestion-not-found', 'There is no such suggestion.');
    if (suggestion.status !== 'open') throw new WorkbenchError(409, 'suggestion-decided', 'This suggestion has already been decided.');
    let result: { segment: SegmentView; progress: Progress } | undefined;
    if (input.accept === true) {
      result = await this.translations.acceptSuggestion(documentId, lang, suggestion, input.baseRevision, who);
    }
    const decided = await this.stores.discussions.decideSuggestion(context.document.id, context.locale.code, suggestionId, {
      status: input.accept === true ? 'accepted' : 'declined',
      decidedBy: who,
      decidedAt: new Date().toISOString(),
    });
    if (!decided) throw new WorkbenchError(409, 'suggestion-decided', 'This suggestion has already been decided.');
    return result;
  }

  /** Starts a thread about a paragraph, or answers one. */
  async comment(documentId: string, lang: string, segmentId: string, input: { text?: unknown; thread?: unknown }, who: string): Promise<Thread> {
    const context = await this.workbench.locale(documentId, lang);
    if (!context.document.segments.some((s) => s.id === segmentId)) throw new WorkbenchError(404, 'segment-not-found', 'There is no such paragraph.');
    const text = typeof input.text === 'string' ? input.text.trim() : '';
    if (text === '') throw new WorkbenchError(400, 'comment-empty', 'A comment needs a text.');
    if (text.length > 5000) throw new WorkbenchError(413, 'comment-too-long', 'A comment may have at most 5,000 characters.');
    const at = new Date().toISOString();
    const { id } = context.document;
    const code = context.locale.code;
    if (input.thread === undefined || input.thread === '') {
      const thread: Thread = { id: newDiscussionId(), segment: segmentId, createdAt: at, resolved: false, messages: [{ author: who, text, at }] };
      await this.stores.discussions.addThread(id, code, thread);
      return thread;
    }
    const thread = typeof input.thread === 'string' ? await this.stores.discussions.thread(id, code, input.thread) : undefined;
    if (!thread || thread.segment !== segmentId) throw new WorkbenchError(404, 'thread-not-found', 'There is no such conversation.');
    return this.stores.discussions.addMessage(id, code, thread.id, { author: who, text, at });
  }

  /** Marks a conversation settled. */
  async resolveThread(documentId: string, lang: string, threadId: string, who: string): Promise<Thread> {
    const context = await this.workbench.locale(documentId, lang);
    const thread = await this.stores.discussions.thread(context.document.id, context.locale.code, threadId);
    if (!thread) throw new WorkbenchError(404, 'thread-not-found', 'There is no such conversation.');
    return this.stores.discussions.resolveThread(context.document.id, context.locale.code, threadId, who);
  }

  /** Open suggestions and conversations of a locale, by paragraph. */
  async discussion(context: LocaleContext): Promise<{ suggestions: Map<string, Suggestion[]>; threads: Map<string, Thread[]> }> {
    const { suggestions, threads } = await this.stores.discussions.read(context.document.id, context.locale.code);
    const group = <T extends { segment: string }>(items: T[]) => {
      const map = new Map<string, T[]>();
      for (const item of items) map.set(item.segment, [...(map.get(item.segment) ?? []), item]);
      return map;
    };
    return { suggestions: group(suggestions.filter((s) => s.status === 'open')), threads: group(threads) };
  }
}
