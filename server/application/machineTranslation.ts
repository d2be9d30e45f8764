import { segmentsOf } from './localeTally';
import { termsOf } from './segmentViews';
import type { Workbench } from './workbench';
import { describeLocale } from '../domain/localeTag';
import { WorkbenchError } from '../errors';
import { MACHINE_TRANSLATORS } from '../formats/formatRegistry';
import { MachineError, type MachineFailure, type MachineProviderConfig, type MachineRequest } from '../formats/machine/machineProvider';

/** A machine's suggestion for a paragraph, labelled with its provider. */
export interface MachineSuggestion {
  provider: string;
  label: string;
  text: string;
}

/** A provider that gave nothing this time, and why (a quiet note in the panel). */
export interface MachineNote {
  provider: string;
  label: string;
  failure: MachineFailure;
  message: string;
}

/** Suggestions kept per paragraph text and language: a focus again asks nobody, and a save is known to come from one. */
const KEPT = 2000;
const KEPT_FOR_MS = 60 * 60 * 1000;

/**
 * Machine translation, off unless providers are configured (workbench.config.json): each asked
 * for a paragraph at once, with a time limit (5 s by default); a provider that fails, answers
 * garbage or is too slow is a note, never an error of the page or of a save. Keys stay here: they
 * are never in an answer, an error or a log.
 */
export class MachineTranslation {
  private readonly providers: (MachineProviderConfig & { id: string; label: string; key?: string })[];
  private readonly kept = new Map<string, { at: number; suggestions: MachineSuggestion[] }>();
  private readonly timeoutMs: number;

  constructor(
    private readonly deps: { workbench: Workbench; config?: { providers: MachineProviderConfig[]; timeoutMs?: number }; env?: NodeJS.ProcessEnv },
  ) {
    const env = deps.env ?? process.env;
    this.timeoutMs = deps.config?.timeoutMs ?? 5000;
    this.providers = (deps.config?.providers ?? []).map((p, i) => ({
      ...p,
      id: `${p.type}-${i + 1}`,
      label: p.label ?? (p.type === 'openai' ? `${MACHINE_TRANSLATORS.openai.name} (${p.model})` : MACHINE_TRANSLATORS[p.type].name),
      key: p.apiKey ?? (p.apiKeyEnv ? env[p.apiKeyEnv] : undefined),
    }));
  }

  /** Whether any provider is configured. */
  get configured(): boolean {
    return this.providers.length > 0;
  }

  /** What each provider suggests for a paragraph of a locale (none asked when none is configured). */
  async suggest(documentId: string, lang: string, segmentId: string): Promise<{ suggestions: MachineSuggestion[]; notes: MachineNote[] }> {
    const context = await this.deps.workbench.locale(documentId, lang);
    const segment = segmentsOf(context.document).get(segmentId);
    if (!segment?.translatable) throw new WorkbenchError(404, 'segment-not-found', `"${context.document.meta.title}" has no paragraph "${segmentId}".`, { params: { title: context.document.meta.title, id: String(segmentId) } });
    if (!this.configured) return { suggestions: [], notes: [] };
    const key = `${context.locale.code}\u0000${segment.text}`;
    const kept = this.kept.get(key);
    if (kept && Date.now() - kept.at < KEPT_FOR_MS && kept.suggestions.length === this.providers.length) return { suggestions: kept.suggestions, notes: [] };
    const translatable = context.document.segments.filter((s) => s.translatable);
    const at = translatable.findIndex((s) => s.id === segment.id);
    const request: MachineRequest = {
      text: segment.text,
      sourceLanguage: context.document.meta.language,
      targetLanguage: context.locale.code,
      sourceName: describeLocale(context.document.meta.language, 'en').name,
      // The context's names are in English: it was loaded for the default reader.
      targetName: context.locale.name,
      before: translatable[at - 1]?.text,
      after: translatable[at + 1]?.text,
      terms: context.glossary ? termsOf(context.glossary, segment.text).map(({ source, translations, forbidden }) => ({ source, translations, forbidden })) : [],
    };
    const answers = await Promise.all(
      this.providers.map(async (provider): Promise<MachineSuggestion | MachineNote> => {
        const signal = AbortSignal.timeout(this.timeoutMs);
        try {
          const text = await MACHINE_TRANSLATORS[provider.type].translate(provider, request, signal);
          return { provider: provider.id, label: provider.label, text };
        } catch (err) {
          const failure: MachineFailure = err instanceof MachineError ? err.failure : signal.aborted ? 'timeout' : 'unreachable';
          const message = err instanceof MachineError ? err.message : signal.aborted ? 'did not answer in time' : 'failed';
          return { provider: provider.id, label: provider.label, failure, message: this.withoutKey(message, provider.key) };
        }
      }),
    );
    const suggestions = answers.filter((a): a is MachineSuggestion => 'text' in a);
    const notes = answers.filter((a): a is MachineNote => 'failure' in a);
    if (suggestions.length > 0) this.keep(key, suggestions);
    return { suggestions, notes };
  }

  /** The suggestion of `provider` this process gave for a paragraph text, if it did (a save that says it took one is believed only then). */
  served(lang: string, source: string, provider: string): MachineSuggestion | undefined {
    return this.kept.get(`${lang}\u0000${source}`)?.suggestions.find((s) => s.provider === provider);
  }

  private keep(key: string, suggestions: MachineSuggestion[]): void {
    this.kept.delete(key);
    if (this.kept.size >= KEPT) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(key, { at: Date.now(), suggestions });
  }

  /** A provider's message with its key taken out, whatever it echoed. */
  private withoutKey(message: string, key: string | undefined): string {
    return key ? message.split(key).join('…') : message;
  }
}
