// Progressive enhancement of a paragraph's history: "Go back to this version" goes through the JSON
// API and the page's current text and entries are brought up to date where they are (the list is
// read again from the page's own address), with a confirmation; without the script it is a form post.
// Compiled by tsconfig.browser.json to dist/public/history.js, served as /assets/history.js.
(() => {
  'use strict';

  const current = document.getElementById('history-current');
  if (!current) return;
  const holder: HTMLElement = current;
  const base = holder.getAttribute('data-base') ?? '';
  const csrf = holder.getAttribute('data-csrf') ?? '';
  const strings = JSON.parse(holder.getAttribute('data-strings') ?? '{}') as { reverted: string; failed: string };
  const live = document.querySelector<HTMLElement>('[data-live]');

  /** The current text and the entries, as the page gives them now (no navigation). */
  async function refresh(): Promise<void> {
    const html = await (await fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })).text();
    const fresh = new DOMParser().parseFromString(html, 'text/html');
    const freshCurrent = fresh.getElementById('history-current');
    if (freshCurrent) holder.replaceChildren(...Array.from(freshCurrent.childNodes).map((node) => document.importNode(node, true)));
    const list = document.querySelector('ol.history');
    const freshList = fresh.querySelector('ol.history');
    if (list && freshList) {
      list.replaceWith(document.importNode(freshList, true));
      enhance();
    }
  }

  function enhance(): void {
    for (const form of Array.from(document.querySelectorAll<HTMLFormElement>('form[data-revert]'))) {
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const value = (name: string) => Number((form.querySelector(`input[name="${name}"]`) as HTMLInputElement | null)?.value);
        const id = /\/segments\/([^/]+)\/revert$/.exec(new URL(form.action).pathname)?.[1] ?? '';
        try {
          const response = await fetch(`/api${base}/segments/${id}/revert`, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf },
            body: JSON.stringify({ entry: value('entry'), baseRevision: value('baseRevision') }),
          });
          if (!response.ok) {
            const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
            if (live) live.textContent = `${strings.failed} ${body.error?.message ?? response.status}`;
            form.insertAdjacentText('beforeend', ` ${strings.failed} ${body.error?.message ?? response.status}`);
            return;
          }
          await refresh();
          if (live) live.textContent = strings.reverted;
        } catch (err) {
          if (live) live.textContent = `${strings.failed} ${(err as Error).message}`;
        }
      });
    }
  }
  enhance();
})();
