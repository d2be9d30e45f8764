// Progressive enhancement of the review page: without JavaScript each Approve and Send back is a
// form post and a new page; with it, they go through the JSON API and the paragraph is marked where
// it is (the page does not move, the queue's count follows), `a` approves and moves on, `r` opens
// Send back, `j`/`k` move between paragraphs, and every paragraph shown can be approved at once.
// Compiled by tsconfig.browser.json to dist/public/review.js, served as /assets/review.js.
(() => {
  'use strict';

  /** A string in its plural forms (CLDR categories; `other` always there). */
  type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

  interface ReviewStrings {
    queue: Plural;
    approved: string;
    sentBack: string;
    checksOpen: string;
    failed: string;
    allDone: Plural;
    lang: string;
  }

  const review = document.getElementById('review');
  const stringsElement = document.getElementById('review-strings');
  if (!review || !stringsElement) return;
  const container: HTMLElement = review;
  const strings = JSON.parse(stringsElement.textContent ?? '{}') as ReviewStrings;
  const base = container.getAttribute('data-base') ?? '';
  const csrf = container.getAttribute('data-csrf') ?? '';
  const live = document.querySelector<HTMLElement>('[data-live]');
  const queue = document.querySelector<HTMLElement>('[data-queue]');
  const numbers = new Intl.NumberFormat(strings.lang);
  const rules = new Intl.PluralRules(strings.lang);

  function plural(forms: Plural, count: number): string {
    const text = forms[rules.select(count)] ?? forms.other;
    return text.replace('{{formatted}}', numbers.format(count)).replace('{{count}}', String(count));
  }

  function say(text: string): void {
    if (live) live.textContent = text;
  }

  /** The paragraphs still waiting on this page, in order. */
  function pending(): HTMLElement[] {
    return Array.from(container.querySelectorAll<HTMLElement>('.review-unit:not(.done)'));
  }

  /** The paragraph the reviewer is at: the one holding the focus, else the first still waiting. */
  function current(): HTMLElement | undefined {
    const here = document.activeElement?.closest<HTMLElement>('.review-unit');
    return here && !here.classList.contains('done') ? here : pending()[0];
  }

  function focusUnit(unit: HTMLElement | undefined): void {
    if (!unit) return;
    unit.focus({ preventScroll: true });
    unit.scrollIntoView({ block: 'nearest' });
  }

  function next(unit: HTMLElement): HTMLElement | undefined {
    const waiting = pending();
    return waiting.find((other) => unit.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING) ?? waiting[0];
  }

  /** Sends a decision on a paragraph; true when it was taken. */
  async function decide(unit: HTMLElement, decision: 'approve' | 'reject', comment?: string): Promise<boolean> {
    const id = unit.getAttribute('data-id') ?? '';
    const error = unit.querySelector<HTMLElement>('[data-error]');
    try {
      const response = await fetch(`/api${base}/segments/${encodeURIComponent(id)}/${decision}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ baseRevision: Number(unit.getAttribute('data-revision')), ...(comment === undefined ? {} : { comment }) }),
      });
      const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      if (!response.ok) {
        if (error) {
          error.textContent = body.error?.code === 'checks-open' ? strings.checksOpen : `${strings.failed} ${body.error?.message ?? response.status}`;
          error.hidden = false;
        }
        return false;
      }
    } catch (err) {
      if (error) {
        error.textContent = `${strings.failed} ${(err as Error).message}`;
        error.hidden = false;
      }
      return false;
    }
    if (error) error.hidden = true;
    unit.classList.add('done', decision === 'approve' ? 'approved' : 'sent-back');
    unit.querySelector('.review-actions')?.remove();
    const mark = document.createElement('p');
    mark.className = 'review-done';
    mark.textContent = decision === 'approve' ? strings.approved : strings.sentBack;
    unit.querySelector('.review-side')?.append(mark);
    if (queue) {
      const left = Math.max(0, Number(queue.getAttribute('data-queue')) - 1);
      queue.setAttribute('data-queue', String(left));
      queue.textContent = plural(strings.queue, left);
    }
    return true;
  }

  for (const unit of Array.from(container.querySelectorAll<HTMLElement>('.review-unit'))) {
    unit.querySelector<HTMLFormElement>('form[data-approve]')?.addEventListener('submit', (event) => {
      event.preventDefault();
      void decide(unit, 'approve').then((ok) => ok && say(strings.approved));
    });
    const sendBack = unit.querySelector<HTMLFormElement>('form.reject');
    sendBack?.addEventListener('submit', (event) => {
      event.preventDefault();
      const comment = sendBack.querySelector('textarea')?.value ?? '';
      void decide(unit, 'reject', comment).then((ok) => {
        if (!ok) return;
        say(strings.sentBack);
        focusUnit(next(unit));
      });
    });
  }

  // The tools that need this script: approve everything shown, the sources on or off.
  const tools = document.querySelector<HTMLElement>('[data-review-tools]');
  if (tools) tools.hidden = false;
  document.querySelector<HTMLButtonElement>('[data-approve-all]')?.addEventListener('click', async (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    button.disabled = true;
    let approved = 0;
    // One at a time, each against its own revision and checks: a refused one keeps its message and stays.
    for (const unit of pending()) if (await decide(unit, 'approve')) approved++;
    say(plural(strings.allDone, approved));
    button.disabled = pending().length === 0;
  });
  const toggle = document.querySelector<HTMLButtonElement>('[data-toggle-sources]');
  const showSources = (on: boolean) => {
    container.classList.toggle('sources-hidden', !on);
    toggle?.setAttribute('aria-pressed', String(on));
  };
  // Side by side on a wide screen; on a phone the translation alone, the source a tap away.
  showSources(!window.matchMedia('(max-width: 800px)').matches);
  toggle?.addEventListener('click', () => showSources(container.classList.contains('sources-hidden')));

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    const unit = current();
    if (!unit) return;
    if (event.key === 'a') {
      event.preventDefault();
      if (!unit.querySelector('form[data-approve]')) return;
      void decide(unit, 'approve').then((ok) => {
        if (!ok) return;
        say(strings.approved);
        focusUnit(next(unit));
      });
    } else if (event.key === 'r') {
      const details = unit.querySelector<HTMLDetailsElement>('details[data-send-back]');
      if (!details) return;
      event.preventDefault();
      details.open = true;
      details.querySelector('textarea')?.focus();
    } else if (event.key === 'j' || event.key === 'k') {
      event.preventDefault();
      const all = pending();
      const at = all.indexOf(unit);
      const here = document.activeElement?.closest('.review-unit') === unit;
      focusUnit(here ? all[at + (event.key === 'j' ? 1 : -1)] : unit);
    }
  });
})();
