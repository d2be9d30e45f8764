// Progressive enhancement of the editor: the page works with plain form posts; with JavaScript,
// saves go through the JSON API without a reload, Ctrl+Enter saves and moves on, leaving a changed
// paragraph saves it, and the browser warns before unsaved work is left behind.
// Compiled by tsconfig.browser.json to dist/public/editor.js, served as /assets/editor.js.
(() => {
  'use strict';

  /** The interface strings the page hands over (translated on the server). */
  interface EditorStrings {
    unsaved: string;
    saving: string;
    saved: string;
    saveFailed: string;
    conflict: string;
    theirs: string;
    theirsBy: string;
    useTheirs: string;
    keepMine: string;
    diff: string;
    editing: string;
    states: Record<string, string>;
    memory: { title: string; none: string; use: string; shortcut: string; assembled: string; from: string; file: string; sourceDiff: string; failed: string };
    propagate: { offer: Plural; done: Plural; skipped: string };
    dismiss: string;
    other: { title: string; by: string };
    terms: { title: string; not: string; glossary: string };
    machine: { title: string; use: string; failed: string };
    /** Said when a translation is confirmed against a changed source. */
    confirmed: string;
    /** Suggestions made and decided in place. */
    suggestion: { suggests: string; sent: string; accepted: string; declined: string };
    /** The paragraph menu (Ctrl+.): its name and its items. */
    menu: { label: string; save: string; history: string; discuss: string; stillCorrect: string; copySource: string };
    /** "Saved by {{who}}". */
    savedBy: string;
    /** "{{formatted}} words", in its plural forms. */
    words: Plural;
    /** The interface language (for plural forms). */
    lang: string;
  }

  /** A string in its plural forms (CLDR categories; `other` always there). */
  type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

  /** Where a suggestion of the memory comes from. */
  type MatchOrigin = { document: string; segment: string; locale: string } | { memory: string };

  /** A suggestion of the translation memory, as the API gives it. */
  interface MemoryMatch {
    source: string;
    target: string;
    score: number;
    diff: { value: string; added?: boolean; removed?: boolean }[];
    origin: MatchOrigin;
    level: string;
    parts?: unknown[];
  }

  /** A locale's progress as the API answers a save. */
  interface ProgressJson {
    words: Record<string, number>;
    [state: string]: unknown;
  }

  /** A saved segment as the API answers it. */
  interface SavedSegment {
    revision: number;
    target?: string | null;
    state: string;
    progress?: ProgressJson;
    /** The checks the saved translation fails, their messages in the interface language. */
    checks?: { id: string; severity: string; message: string }[];
  }

  /** The 409 of a stale save: the text saved meanwhile, and the word diff to ours. */
  interface ConflictError {
    message: string;
    current: { target: string | null; revision: number; by?: string };
    diff?: { value: string; added?: boolean; removed?: boolean }[];
  }

  interface ApiAnswer {
    status: number;
    body: SavedSegment & { error?: ConflictError };
  }

  /** A paragraph's form, with the save in flight and what was last saved. */
  type TargetForm = HTMLFormElement & { savePromise?: Promise<boolean> };

  const units = document.getElementById('units');
  const stringsElement = document.getElementById('editor-strings');
  if (!units || !stringsElement) return;
  const container: HTMLElement = units;
  const strings = JSON.parse(stringsElement.textContent ?? '{}') as EditorStrings;
  const base = container.getAttribute('data-base') ?? '';
  const csrf = container.getAttribute('data-csrf') ?? '';
  const forms = Array.from(container.querySelectorAll<TargetForm>('form.target'));
  const jsonHeaders = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' };

  function field(form: TargetForm): HTMLTextAreaElement {
    return form.querySelector('textarea[name="target"]') as HTMLTextAreaElement;
  }
  function revisionInput(form: TargetForm): HTMLInputElement {
    return form.querySelector('input[name="baseRevision"]') as HTMLInputElement;
  }
  function unitOf(form: TargetForm): HTMLElement {
    return form.closest('.unit') as HTMLElement;
  }
  function setStatus(form: TargetForm, text: string, kind: string): void {
    const status = form.querySelector('[data-status]');
    if (!status) return;
    status.textContent = text;
    status.className = `status${kind ? ` status-${kind}` : ''}`;
  }
  function isDirty(form: TargetForm): boolean {
    return field(form).value !== form.dataset.saved;
  }

  /**
   * Another tool's codes (placeholders `<x1/>`, `<g2>`, `</g2>` of a document made from its XLIFF
   * file) are whole in the box, like chips: a deletion or a keystroke that would cut into one
   * selects it instead, so the next one takes it out whole, or types over it.
   */
  const PLACEHOLDER = /<\/?[gx]\d{1,4}\/?>/g;
  function keepPlaceholdersWhole(box: HTMLTextAreaElement, event: InputEvent): void {
    const value = box.value;
    if (!value.includes('<')) return;
    let start = box.selectionStart;
    let end = box.selectionEnd;
    if (start === end && event.inputType === 'deleteContentBackward') start = Math.max(0, start - 1);
    if (start === end && event.inputType === 'deleteContentForward') end = Math.min(value.length, end + 1);
    for (const match of value.matchAll(PLACEHOLDER)) {
      const from = match.index;
      const to = from + match[0].length;
      const typedInside = start === end && start > from && start < to;
      const cutsIn = start < end && from < end && to > start && !(start <= from && end >= to);
      if (typedInside || cutsIn) {
        event.preventDefault();
        box.setSelectionRange(Math.min(start, from), Math.max(end, to));
        return;
      }
    }
  }

  for (const form of forms) {
    form.dataset.saved = field(form).value;
    field(form).addEventListener('beforeinput', (event: InputEvent) => keepPlaceholdersWhole(field(form), event));
    field(form).addEventListener('input', () => {
      unitOf(form).classList.toggle('dirty', isDirty(form));
      if (isDirty(form)) setStatus(form, strings.unsaved, 'warning');
      else setStatus(form, '', '');
    });
    field(form).addEventListener('keydown', (event: KeyboardEvent) => {
      // Ctrl+1 … Ctrl+5: the memory's suggestion of that number in the box.
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && /^[1-5]$/.test(event.key)) {
        const button = form.querySelector<HTMLButtonElement>(`[data-use="${event.key}"]`);
        if (button) {
          event.preventDefault();
          button.click();
        }
        return;
      }
      // Ctrl+Shift+C: the source in the box, to translate over it.
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && (event.key === 'C' || event.key === 'c')) {
        event.preventDefault();
        const box = field(form);
        box.value = unitOf(form).dataset.source ?? '';
        box.dispatchEvent(new Event('input'));
        return;
      }
      // Alt+↑ / Alt+↓: the paragraph before or after.
      if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
        const next = forms[forms.indexOf(form) + (event.key === 'ArrowUp' ? -1 : 1)];
        if (next) {
          event.preventDefault();
          field(next).focus();
          unitOf(next).scrollIntoView({ block: 'center' });
        }
        return;
      }
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void save(form).then((ok) => {
          if (ok) focusNext(form);
        });
      }
    });
    field(form).addEventListener('blur', () => {
      if (isDirty(form)) void save(form);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void save(form);
    });
  }

  function focusNext(form: TargetForm): void {
    const next = forms[forms.indexOf(form) + 1];
    if (next) {
      field(next).focus();
      unitOf(next).scrollIntoView({ block: 'center' });
      return;
    }
    // The last paragraph of the page: on to the next section (or page), at its first paragraph to translate.
    const onward = document.querySelector<HTMLAnchorElement>('nav.pager a[rel="next"]');
    if (onward) window.location.assign(`${onward.href}#${CONTINUE}`);
  }

  /** The fragment of a page opened by Ctrl+Enter on the last paragraph of the page before. */
  const CONTINUE = 'continue';

  /** The box of the first paragraph still to translate on the page (else the first box), focused and in view. */
  function focusFirstOpen(): void {
    const open = forms.find((form) => unitOf(form).getAttribute('data-state') === 'untranslated') ?? forms[0];
    if (!open) return;
    field(open).focus();
    unitOf(open).scrollIntoView({ block: 'center' });
  }
  if (window.location.hash === `#${CONTINUE}`) focusFirstOpen();

  // The skip link puts the focus in the box it names (a fragment alone only scrolls to it).
  const skip = document.querySelector<HTMLAnchorElement>('a.skip-link[data-skip-focus]');
  skip?.addEventListener('click', (event) => {
    const target = document.getElementById(skip.getAttribute('data-skip-focus') ?? '');
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: 'center' });
  });

  // One Tab stop per paragraph: its box. Its other controls (Save, History, Suggest or ask, the
  // memory's and the machine's Use, Dismiss, Still correct) leave the Tab order: they are reached by
  // their shortcuts and by the paragraph's menu (Ctrl+.). Without this script they all stay in it.
  const QUIET = '.unit-foot a, .unit-foot button, details.discuss > summary, .checks button, .memory button, .memory a, .machine button, .terms a, form.still-correct button, .propagate button';
  const quiet = (root: ParentNode) => {
    for (const el of Array.from(root.querySelectorAll<HTMLElement>(QUIET))) el.tabIndex = -1;
  };
  quiet(container);
  new MutationObserver((records) => {
    for (const record of records) for (const node of Array.from(record.addedNodes)) if (node instanceof HTMLElement) quiet(node.parentElement ?? node);
  }).observe(container, { childList: true, subtree: true });

  /** The menu of a paragraph's actions, under its box: arrows move, Enter chooses, Esc closes. */
  function openMenu(form: TargetForm): void {
    const unit = unitOf(form);
    unit.querySelector('.unit-menu')?.remove();
    const menu = document.createElement('div');
    menu.className = 'unit-menu';
    menu.setAttribute('role', 'menu');
    menu.setAttribute('aria-label', strings.menu.label);
    const close = () => {
      menu.remove();
      field(form).focus();
    };
    const item = (label: string, run: () => void) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('role', 'menuitem');
      button.tabIndex = -1;
      button.textContent = label;
      button.addEventListener('click', () => {
        menu.remove();
        run();
      });
      menu.appendChild(button);
    };
    item(`${strings.menu.save} (Ctrl+Enter)`, () => {
      field(form).focus();
      void save(form);
    });
    const history = form.querySelector<HTMLAnchorElement>('a.history-link');
    if (history) item(strings.menu.history, () => window.location.assign(history.href));
    const discuss = unit.querySelector<HTMLDetailsElement>('details.discuss');
    if (discuss) {
      item(strings.menu.discuss, () => {
        discuss.open = true;
        discuss.querySelector('textarea')?.focus();
      });
    }
    const still = unit.querySelector<HTMLFormElement>('form[data-still-correct]');
    if (still) item(strings.menu.stillCorrect, () => still.requestSubmit());
    item(`${strings.menu.copySource} (Ctrl+Shift+C)`, () => {
      const box = field(form);
      box.value = unit.dataset.source ?? '';
      box.dispatchEvent(new Event('input'));
      box.focus();
    });
    menu.addEventListener('keydown', (event) => {
      const items = Array.from(menu.querySelectorAll<HTMLButtonElement>('[role="menuitem"]'));
      const at = items.indexOf(document.activeElement as HTMLButtonElement);
      if (event.key === 'Escape' || event.key === 'Tab') {
        event.preventDefault();
        close();
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
      } else if (event.key === 'Home' || event.key === 'End') {
        event.preventDefault();
        items[event.key === 'Home' ? 0 : items.length - 1]?.focus();
      }
    });
    field(form).after(menu);
    (menu.firstElementChild as HTMLElement | null)?.focus();
  }
  for (const form of forms) {
    field(form).addEventListener('keydown', (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key === '.') {
        event.preventDefault();
        openMenu(form);
      }
    });
  }

  // Suggestions in place: made, accepted and declined through the API, the paragraph updated where it is.
  type PostAnswer = { ok: boolean; status: number; body: ApiAnswer['body'] & { id?: string; author?: string; text?: string } };
  async function postJson(url: string, body: unknown): Promise<PostAnswer> {
    try {
      const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: jsonHeaders, body: JSON.stringify(body) });
      return { ok: response.ok, status: response.status, body: (await response.json().catch(() => ({}))) as PostAnswer['body'] };
    } catch (err) {
      return { ok: false, status: 0, body: { error: { message: (err as Error).message } } as unknown as PostAnswer['body'] };
    }
  }
  function formError(where: HTMLElement, message: string): void {
    where.querySelector(':scope > .form-error')?.remove();
    const error = document.createElement('p');
    error.className = 'form-error';
    error.setAttribute('role', 'alert');
    error.textContent = message;
    where.appendChild(error);
  }
  for (const unit of Array.from(container.querySelectorAll<HTMLElement>('.unit[data-id]'))) {
    const id = unit.getAttribute('data-id') ?? '';
    const form = unit.querySelector<TargetForm>('form.target');
    const suggest = unit.querySelector<HTMLFormElement>('details.discuss form[action$="/suggest"]');
    suggest?.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = suggest.querySelector('textarea')?.value ?? '';
      const answer = await postJson(`/api${base}/segments/${encodeURIComponent(id)}/suggestions`, { text });
      if (!answer.ok) {
        formError(suggest, `${strings.saveFailed} ${answer.body.error?.message ?? answer.status}`);
        return;
      }
      suggest.querySelector(':scope > .form-error')?.remove();
      const block = document.createElement('div');
      block.className = 'suggestion';
      const line = document.createElement('p');
      const who = document.createElement('strong');
      who.textContent = answer.body.author ?? '';
      const said = document.createElement('span');
      said.textContent = answer.body.text ?? text;
      said.lang = form ? field(form).lang : '';
      line.append(who, ` ${strings.suggestion.suggests} `, said);
      block.appendChild(line);
      unit.querySelector('.discussion')?.prepend(block);
      const details = suggest.closest('details');
      if (details) details.open = false;
      if (form) setStatus(form, strings.suggestion.sent, 'ok');
    });
    for (const decide of Array.from(unit.querySelectorAll<HTMLFormElement>('.suggestion form[action*="/suggestions/"]'))) {
      const [, sid, decision] = /\/suggestions\/([^/]+)\/(accept|decline)$/.exec(new URL(decide.action).pathname) ?? [];
      if (!sid) continue;
      decide.addEventListener('submit', async (event) => {
        event.preventDefault();
        const block = decide.closest<HTMLElement>('.suggestion');
        const accept = decision === 'accept';
        const revision = Number(form ? revisionInput(form).value : unit.getAttribute('data-revision'));
        const answer = await postJson(`/api${base}/suggestions/${encodeURIComponent(sid)}`, accept ? { accept, baseRevision: revision } : { accept });
        if (!answer.ok) {
          if (block) formError(block, `${strings.saveFailed} ${answer.body.error?.message ?? answer.status}`);
          return;
        }
        block?.remove();
        if (accept && form) {
          field(form).value = answer.body.target ?? '';
          form.dataset.saved = field(form).value;
          applySaved(form, answer.body);
          setStatus(form, strings.suggestion.accepted, 'ok');
        } else if (form) {
          setStatus(form, strings.suggestion.declined, 'ok');
        }
      });
    }
  }

  // `?` (outside a text box) or the button: every shortcut, in a dialog that Esc closes.
  const shortcuts = document.querySelector<HTMLDialogElement>('dialog[data-shortcuts]');
  const shortcutsButton = document.querySelector<HTMLButtonElement>('[data-shortcuts-open]');
  if (shortcuts && typeof shortcuts.showModal === 'function') {
    if (shortcutsButton) {
      shortcutsButton.hidden = false;
      shortcutsButton.addEventListener('click', () => shortcuts.showModal());
    }
    document.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      event.preventDefault();
      if (shortcuts.open) shortcuts.close();
      else shortcuts.showModal();
    });
  }

  // On a phone the outline waits behind its button: the text comes first.
  const outline = document.querySelector<HTMLDetailsElement>('details[data-outline]');
  if (outline && window.matchMedia('(max-width: 800px)').matches) outline.open = false;

  // One save at a time per paragraph: a blur and a Ctrl+Enter must not race each other.
  function save(form: TargetForm): Promise<boolean> {
    const previous = form.savePromise ?? Promise.resolve(true);
    form.savePromise = previous.then(() => send(form));
    return form.savePromise;
  }

  async function send(form: TargetForm): Promise<boolean> {
    if (!isDirty(form) && !form.dataset.force) return true;
    const id = unitOf(form).getAttribute('data-id') ?? '';
    const text = field(form).value;
    setStatus(form, strings.saving, 'pending');
    try {
      const response = await fetch(`/api${base}/segments/${encodeURIComponent(id)}`, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: jsonHeaders,
        // A text made from a machine's suggestion says whose (the server knows what it suggested).
        body: JSON.stringify({ target: text, baseRevision: Number(revisionInput(form).value), ...(form.dataset.machine ? { machine: { provider: form.dataset.machine } } : {}) }),
      });
      const result: ApiAnswer = { status: response.status, body: (await response.json()) as ApiAnswer['body'] };
      delete form.dataset.force;
      if (result.status === 200) {
        form.dataset.saved = text;
        delete form.dataset.machine;
        applySaved(form, result.body);
        void offerPropagation(form);
        return true;
      }
      if (result.status === 409 && result.body.error) {
        showConflict(form, result.body.error);
        return false;
      }
      setStatus(form, `${strings.saveFailed} ${result.body.error ? result.body.error.message : result.status}`, 'error');
      return false;
    } catch (err) {
      setStatus(form, `${strings.saveFailed} ${(err as Error).message}`, 'error');
      return false;
    }
  }

  function applySaved(form: TargetForm, segment: SavedSegment): void {
    const unit = unitOf(form);
    revisionInput(form).value = String(segment.revision);
    unit.setAttribute('data-revision', String(segment.revision));
    unit.setAttribute('data-state', segment.state);
    unit.classList.remove('dirty', 'conflict');
    const badge = form.querySelector('[data-badge]');
    if (badge) {
      badge.textContent = strings.states[segment.state] ?? segment.state;
      badge.className = `badge badge-${segment.state}`;
    }
    // A saved translation is current again: the notice of the source change has done its job.
    if (segment.state !== 'drifted') settleDrift(unit);
    form.querySelector('.conflict-box')?.remove();
    if (segment.checks) showChecks(form, segment.checks);
    setStatus(form, strings.saved, 'ok');
    if (segment.progress) updateProgress(segment.progress);
  }

  /** The changed source's diff becomes the source again, and Still correct goes: the translation is current. */
  function settleDrift(unit: HTMLElement): void {
    const drift = unit.querySelector('[data-drift]');
    if (drift) {
      const source = document.createElement('p');
      source.textContent = unit.getAttribute('data-source') ?? '';
      drift.replaceWith(source);
    }
    unit.querySelector('form[data-still-correct]')?.remove();
  }

  // Still correct, in place: the translation is confirmed against the new source without a reload.
  for (const confirm of Array.from(container.querySelectorAll<HTMLFormElement>('form[data-still-correct]'))) {
    const unit = confirm.closest<HTMLElement>('.unit');
    const form = unit?.querySelector<TargetForm>('form.target');
    if (!unit || !form) continue;
    confirm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const id = unit.getAttribute('data-id') ?? '';
      const answer = await postJson(`/api${base}/segments/${encodeURIComponent(id)}/still-correct`, { baseRevision: Number(revisionInput(form).value) });
      if (!answer.ok) {
        if (answer.status === 409 && answer.body.error) showConflict(form, answer.body.error);
        else setStatus(form, `${strings.saveFailed} ${answer.body.error?.message ?? answer.status}`, 'error');
        return;
      }
      applySaved(form, answer.body);
      setStatus(form, strings.confirmed, 'ok');
    });
  }

  /**
   * A Dismiss button on each check of a paragraph (when signed in): the check is recorded as
   * dismissed for this text and leaves the list; an error is a reviewer's to dismiss (the answer says so).
   */
  function offerDismissal(form: TargetForm): void {
    if (container.getAttribute('data-signed-in') !== 'yes') return;
    const id = unitOf(form).getAttribute('data-id') ?? '';
    for (const item of Array.from(form.querySelectorAll<HTMLElement>('ul.checks li[data-check]'))) {
      if (item.querySelector('button')) continue;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'dismiss';
      button.textContent = strings.dismiss;
      button.addEventListener('click', async () => {
        const response = await fetch(`/api${base}/segments/${encodeURIComponent(id)}/checks/${encodeURIComponent(item.dataset.check ?? '')}/dismiss`, { method: 'POST', credentials: 'same-origin', headers: jsonHeaders, body: '{}' });
        if (response.ok) {
          item.remove();
        } else {
          const body = (await response.json().catch(() => ({}))) as { error?: { message: string } };
          button.replaceWith(` ${body.error?.message ?? response.status}`);
        }
      });
      item.append(' ', button);
    }
  }
  for (const form of forms) offerDismissal(form);

  /** The checks of the text just saved, in place of those of the text before. */
  function showChecks(form: TargetForm, checks: NonNullable<SavedSegment['checks']>): void {
    form.querySelector('ul.checks')?.remove();
    if (checks.length === 0) return;
    const list = document.createElement('ul');
    list.className = 'checks';
    for (const check of checks) {
      const item = document.createElement('li');
      item.className = `check-${check.severity}`;
      item.dataset.check = check.id;
      item.textContent = check.message;
      list.appendChild(item);
    }
    form.querySelector('.unit-foot')?.after(list);
    offerDismissal(form);
  }

  function updateProgress(progress: ProgressJson): void {
    const numbers = new Intl.NumberFormat(document.documentElement.lang);
    for (const el of Array.from(document.querySelectorAll('[data-count]'))) {
      const value = progress[el.getAttribute('data-count') ?? ''];
      if (typeof value === 'number') el.textContent = numbers.format(value);
    }
    const words = progress.words;
    for (const el of Array.from(document.querySelectorAll('[data-words]'))) {
      const value = words[el.getAttribute('data-words') ?? ''];
      if (typeof value === 'number') el.textContent = fill(plural(strings.words, value), { formatted: numbers.format(value) });
    }
    const total = Object.values(words).reduce((sum, n) => sum + n, 0) || 1;
    let x = 0;
    const parts: [string, number][] = [
      ['approved', words.approved ?? 0],
      ['translated', words.translated ?? 0],
      ['drifted', (words.drifted ?? 0) + (words['needs-work'] ?? 0)],
    ];
    for (const [name, count] of parts) {
      for (const rect of Array.from(document.querySelectorAll(`svg.bar .bar-${name}`))) {
        rect.setAttribute('x', String(x));
        rect.setAttribute('width', String((100 * count) / total));
      }
      x += (100 * count) / total;
    }
  }

  function showConflict(form: TargetForm, error: ConflictError): void {
    const unit = unitOf(form);
    unit.classList.add('conflict');
    form.querySelector('.conflict-box')?.remove();
    const box = document.createElement('div');
    box.className = 'conflict-box';
    box.setAttribute('role', 'alert');
    const explain = document.createElement('p');
    explain.textContent = strings.conflict;
    const label = document.createElement('p');
    label.textContent = error.current.by ? strings.theirsBy.replace('{{who}}', error.current.by) : strings.theirs;
    const theirs = document.createElement('blockquote');
    theirs.textContent = error.current.target ?? '';
    theirs.lang = field(form).lang;
    theirs.dir = field(form).dir;
    const useTheirs = document.createElement('button');
    useTheirs.type = 'button';
    useTheirs.textContent = strings.useTheirs;
    useTheirs.addEventListener('click', () => {
      field(form).value = error.current.target ?? '';
      form.dataset.saved = field(form).value;
      revisionInput(form).value = String(error.current.revision);
      unit.classList.remove('dirty', 'conflict');
      box.remove();
      setStatus(form, '', '');
    });
    const keepMine = document.createElement('button');
    keepMine.type = 'button';
    keepMine.textContent = strings.keepMine;
    keepMine.addEventListener('click', () => {
      revisionInput(form).value = String(error.current.revision);
      form.dataset.force = '1';
      void save(form);
    });
    const parts: HTMLElement[] = [explain, label, theirs];
    if (error.diff) {
      // What saving yours would change in theirs, word by word; edit your text to merge, then save it.
      const diffLabel = document.createElement('p');
      diffLabel.textContent = strings.diff;
      const diff = document.createElement('p');
      diff.className = 'diff';
      for (const part of error.diff) {
        const node = document.createElement(part.added ? 'ins' : part.removed ? 'del' : 'span');
        node.textContent = part.value;
        diff.appendChild(node);
      }
      parts.push(diffLabel, diff);
    }
    parts.push(useTheirs, keepMine);
    box.append(...parts);
    form.appendChild(box);
    setStatus(form, '', '');
  }

  // Presence, best effort: this page says which paragraph is open here when it changes; where the
  // others are comes over the live stream as they move (the answer to a report gives the start).
  let focused: string | null = null;
  const others = new Map<string, string>();
  function showPresence(): void {
    for (const el of Array.from(container.querySelectorAll('[data-presence]'))) el.remove();
    for (const [who, segment] of others) {
      const foot = document.getElementById(`seg-${segment}`)?.querySelector('.unit-foot');
      if (!foot) continue;
      const badge = document.createElement('span');
      badge.className = 'presence';
      badge.setAttribute('data-presence', '');
      badge.textContent = strings.editing.replace('{{who}}', who);
      foot.insertBefore(badge, foot.firstChild);
    }
  }
  async function reportPresence(): Promise<void> {
    try {
      const response = await fetch(`/api${base}/presence`, { method: 'POST', credentials: 'same-origin', headers: jsonHeaders, body: JSON.stringify({ segment: focused }) });
      if (!response.ok) return;
      const body = (await response.json()) as { others: { who: string; segment: string }[] };
      others.clear();
      for (const other of body.others) others.set(other.who, other.segment);
      showPresence();
    } catch {
      // Presence is best effort.
    }
  }
  function presenceChanged(data: string): void {
    const { who, segment } = JSON.parse(data) as { who: string; segment: string | null };
    const me = container.getAttribute('data-who');
    if (who === me) return;
    if (segment) others.set(who, segment);
    else others.delete(who);
    showPresence();
  }
  for (const form of forms) {
    field(form).addEventListener('focus', () => {
      focused = unitOf(form).getAttribute('data-id');
      void reportPresence();
      void showTerms(form)
        .then(() => showMemory(form))
        .then(() => showMachine(form))
        .then(() => showOtherLanguages(form));
    });
  }

  /** The form of `plural` for `count`, in the interface language. */
  function plural(forms: Plural, count: number): string {
    const rule = new Intl.PluralRules(strings.lang).select(count);
    return fill(forms[rule] ?? forms.other, { count });
  }

  /**
   * After a save: when other paragraphs of the language have the same source text and no
   * translation (or one sent back), a button under the box applies this one to them, each with
   * its own history entry.
   */
  async function offerPropagation(form: TargetForm): Promise<void> {
    form.querySelector('.propagate')?.remove();
    const id = unitOf(form).getAttribute('data-id') ?? '';
    try {
      const response = await readSegment(id, 'same-source');
      if (!response.ok) return;
      const body = (await response.json()) as { fill: unknown[] };
      if (body.fill.length === 0) return;
      const box = document.createElement('div');
      box.className = 'propagate';
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = plural(strings.propagate.offer, body.fill.length);
      button.addEventListener('click', async () => {
        button.disabled = true;
        const answer = await fetch(`/api${base}/segments/${encodeURIComponent(id)}/propagate`, { method: 'POST', credentials: 'same-origin', headers: jsonHeaders, body: '{}' });
        const result = (await answer.json()) as { applied?: unknown[]; skipped?: unknown[]; error?: { message: string } };
        const note = document.createElement('p');
        note.setAttribute('role', 'status');
        note.textContent = answer.ok
          ? `${plural(strings.propagate.done, result.applied?.length ?? 0)}${result.skipped?.length ? ` ${fill(strings.propagate.skipped, { count: result.skipped.length })}` : ''}`
          : `${strings.saveFailed} ${result.error?.message ?? answer.status}`;
        box.replaceChildren(note);
      });
      box.appendChild(button);
      form.querySelector('.unit-foot')?.after(box);
    } catch {
      // An offer, best effort: the save itself is done.
    }
  }

  /** What the API says of a paragraph of this page's locale (`…/segments/<id>/<what>`), as the signed-in person. */
  function readSegment(id: string, what: string): Promise<Response> {
    return fetch(`/api${base}/segments/${encodeURIComponent(id)}/${what}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  }

  /** A labelled panel under a paragraph's box, empty, for what is said of the paragraph. */
  function openPanel(form: TargetForm, className: string, label: string): HTMLElement {
    const panel = document.createElement('section');
    panel.className = className;
    panel.setAttribute('aria-label', label);
    form.appendChild(panel);
    return panel;
  }

  /** A fill-in of a string with {{name}} placeholders. */
  function fill(template: string, values: Record<string, string | number>): string {
    return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
  }

  /**
   * The memory's suggestions for a paragraph, under its box, once it is focused: each with its
   * score, where it comes from, how its source differs from this one, and a button (and Ctrl+n)
   * that puts it in the box. Built from text nodes only: nothing of a suggestion is read as HTML.
   */
  async function showMemory(form: TargetForm): Promise<void> {
    if (form.querySelector('.memory')) return;
    const id = unitOf(form).getAttribute('data-id') ?? '';
    const panel = openPanel(form, 'memory', strings.memory.title);
    panel.setAttribute('aria-live', 'polite');
    let matches: MemoryMatch[];
    try {
      const response = await readSegment(id, 'memory');
      const body = (await response.json()) as { matches?: MemoryMatch[]; error?: { message: string } };
      if (!response.ok || !body.matches) throw new Error(body.error?.message ?? String(response.status));
      matches = body.matches;
    } catch (err) {
      panel.textContent = `${strings.memory.failed} ${(err as Error).message}`;
      panel.classList.add('memory-failed');
      return;
    }
    const title = document.createElement('h3');
    title.textContent = strings.memory.title;
    panel.appendChild(title);
    if (matches.length === 0) {
      const none = document.createElement('p');
      none.className = 'memory-none';
      none.textContent = strings.memory.none;
      panel.appendChild(none);
      return;
    }
    const list = document.createElement('ol');
    matches.forEach((match, i) => {
      const item = document.createElement('li');
      const head = document.createElement('div');
      head.className = 'memory-head';
      const score = document.createElement('span');
      score.className = `memory-score${match.score === 100 ? ' exact' : ''}`;
      score.textContent = `${match.score}%`;
      const origin = document.createElement('span');
      origin.className = 'memory-origin';
      if ('memory' in match.origin) {
        origin.textContent = fill(strings.memory.file, { name: match.origin.memory });
      } else {
        const link = document.createElement('a');
        link.href = `/documents/${encodeURIComponent(match.origin.document)}/locales/${encodeURIComponent(match.origin.locale)}/segments/${encodeURIComponent(match.origin.segment)}/history`;
        link.textContent = fill(strings.memory.from, { document: match.origin.document, segment: match.origin.segment });
        origin.appendChild(link);
      }
      if (match.parts) origin.append(` · ${fill(strings.memory.assembled, { count: match.parts.length })}`);
      const use = document.createElement('button');
      use.type = 'button';
      use.dataset.use = String(i + 1);
      use.textContent = `${strings.memory.use} (${fill(strings.memory.shortcut, { n: i + 1 })})`;
      use.addEventListener('click', () => {
        const box = field(form);
        box.value = match.target;
        box.dispatchEvent(new Event('input'));
        box.focus();
      });
      head.append(score, origin, use);
      const target = document.createElement('p');
      target.className = 'memory-target';
      target.lang = field(form).lang;
      target.textContent = match.target;
      item.append(head, target);
      if (match.score < 100) {
        const diff = document.createElement('p');
        diff.className = 'diff memory-diff';
        diff.append(`${strings.memory.sourceDiff} `);
        for (const part of match.diff) {
          const run = document.createElement(part.added ? 'ins' : part.removed ? 'del' : 'span');
          run.textContent = part.value;
          diff.appendChild(run);
        }
        item.appendChild(diff);
      }
      list.appendChild(item);
    });
    panel.appendChild(list);
  }

  /**
   * The glossary's terms in a paragraph's source (those underlined in it), once its box is focused:
   * each with its translations, the forbidden ones, and its note; a link to the glossary. Text nodes only.
   */
  async function showTerms(form: TargetForm): Promise<void> {
    if (form.querySelector('.terms') || !unitOf(form).querySelector('.source .term')) return;
    const id = unitOf(form).getAttribute('data-id') ?? '';
    const panel = openPanel(form, 'terms', strings.terms.title);
    try {
      const response = await readSegment(id, 'terms');
      if (!response.ok) return;
      const body = (await response.json()) as { terms: { id: string; source: string; translations: string[]; forbidden: string[]; note: string }[] };
      if (body.terms.length === 0) return;
      const title = document.createElement('h3');
      title.textContent = strings.terms.title;
      const list = document.createElement('dl');
      const seen = new Set<string>();
      for (const term of body.terms) {
        if (seen.has(term.id)) continue;
        seen.add(term.id);
        const name = document.createElement('dt');
        name.textContent = term.source;
        const translations = document.createElement('dd');
        translations.lang = field(form).lang;
        translations.textContent = term.translations.join(' · ');
        if (term.forbidden.length > 0) {
          const forbidden = document.createElement('span');
          forbidden.className = 'forbidden';
          forbidden.append(` ${strings.terms.not} `);
          const struck = document.createElement('del');
          struck.textContent = term.forbidden.join(' · ');
          forbidden.appendChild(struck);
          translations.appendChild(forbidden);
        }
        list.append(name, translations);
        if (term.note) {
          const note = document.createElement('dd');
          note.className = 'help';
          note.textContent = term.note;
          list.appendChild(note);
        }
      }
      const link = document.createElement('a');
      link.href = `/glossary/${encodeURIComponent(field(form).lang)}`;
      link.textContent = strings.terms.glossary;
      panel.append(title, list, link);
    } catch {
      // Best effort: the box works without it.
    }
  }

  /**
   * Machine suggestions for a paragraph (when a provider is configured), under the memory, each
   * labelled with its provider; Use (and Ctrl+n after the memory's) puts one in the box. A provider
   * that failed is a quiet note. The box never waits for this.
   */
  async function showMachine(form: TargetForm): Promise<void> {
    if (container.getAttribute('data-machine') !== 'yes' || form.querySelector('.machine')) return;
    const id = unitOf(form).getAttribute('data-id') ?? '';
    const panel = openPanel(form, 'machine', strings.machine.title);
    panel.setAttribute('aria-live', 'polite');
    try {
      const response = await readSegment(id, 'machine');
      if (!response.ok) return;
      const body = (await response.json()) as { suggestions: { provider: string; label: string; text: string }[]; notes: { label: string; message: string }[] };
      if (body.suggestions.length === 0 && body.notes.length === 0) return;
      const title = document.createElement('h3');
      title.textContent = strings.machine.title;
      panel.appendChild(title);
      const list = document.createElement('ol');
      for (const suggestion of body.suggestions) {
        const item = document.createElement('li');
        const head = document.createElement('div');
        head.className = 'memory-head';
        const label = document.createElement('span');
        label.className = 'memory-origin';
        label.textContent = suggestion.label;
        const use = document.createElement('button');
        use.type = 'button';
        const n = form.querySelectorAll('[data-use]').length + 1;
        if (n <= 5) use.dataset.use = String(n);
        use.textContent = n <= 5 ? `${strings.machine.use} (${fill(strings.memory.shortcut, { n })})` : strings.machine.use;
        use.addEventListener('click', () => {
          const box = field(form);
          box.value = suggestion.text;
          form.dataset.machine = suggestion.provider;
          box.dispatchEvent(new Event('input'));
          box.focus();
        });
        head.append(label, use);
        const text = document.createElement('p');
        text.className = 'memory-target';
        text.lang = field(form).lang;
        text.textContent = suggestion.text;
        item.append(head, text);
        list.appendChild(item);
      }
      panel.appendChild(list);
      for (const note of body.notes) {
        const quiet = document.createElement('p');
        quiet.className = 'machine-note help';
        quiet.textContent = fill(strings.machine.failed, { label: note.label, message: note.message });
        panel.appendChild(quiet);
      }
    } catch {
      // Best effort: the box works without it.
    }
  }

  /** The same paragraph in the document's other languages, under the memory, once it is focused (those translated). */
  async function showOtherLanguages(form: TargetForm): Promise<void> {
    if (form.querySelector('.other-languages')) return;
    const id = unitOf(form).getAttribute('data-id') ?? '';
    const section = openPanel(form, 'other-languages', strings.other.title);
    try {
      const response = await readSegment(id, 'other-languages');
      if (!response.ok) return;
      const body = (await response.json()) as { languages: { lang: string; name: string; dir: string; state: string; target: string | null; who?: string }[] };
      const translated = body.languages.filter((other) => other.target !== null && other.target !== '');
      if (translated.length === 0) return;
      const title = document.createElement('h3');
      title.textContent = strings.other.title;
      const list = document.createElement('dl');
      for (const other of translated) {
        const term = document.createElement('dt');
        term.lang = other.lang;
        term.textContent = other.name;
        const state = document.createElement('span');
        state.className = `badge badge-${other.state}`;
        state.textContent = strings.states[other.state] ?? other.state;
        term.append(' ', state);
        if (other.who) term.append(` ${fill(strings.other.by, { who: other.who })}`);
        const text = document.createElement('dd');
        text.lang = other.lang;
        text.dir = other.dir;
        text.textContent = other.target;
        list.append(term, text);
      }
      section.append(title, list);
    } catch {
      // Best effort: the memory and the box work without it.
    }
  }
  /** A change to a paragraph made elsewhere (another person, another tab), as the live stream tells it. */
  interface RemoteChange {
    id: string;
    revision: number;
    state: string | null;
    target: string | null;
    who: string;
    /** The locale's progress after it: the counts follow others' work too. */
    progress?: ProgressJson;
  }

  /**
   * Shows a change made elsewhere at its paragraph: the new text in the box (or the read-only text),
   * its state and who saved it. An edit not saved yet is never replaced: it gets the conflict view,
   * as a save would. A change this page already has (its own save) is left alone.
   */
  function applyRemote(change: RemoteChange): void {
    if (change.progress) updateProgress(change.progress);
    const unit = Array.from(container.querySelectorAll<HTMLElement>('.unit[data-id]')).find((el) => el.getAttribute('data-id') === change.id);
    if (!unit || change.revision <= Number(unit.getAttribute('data-revision'))) return;
    const text = change.target ?? '';
    const form = unit.querySelector<TargetForm>('form.target');
    if (form && field(form).value !== text && isDirty(form)) {
      showConflict(form, { message: strings.conflict, current: { target: change.target, revision: change.revision, by: change.who } });
      return;
    }
    if (form) {
      field(form).value = text;
      form.dataset.saved = text;
      revisionInput(form).value = String(change.revision);
      unit.classList.remove('dirty');
      setStatus(form, strings.savedBy.replace('{{who}}', change.who), 'ok');
    } else {
      const shown = unit.querySelector('.target-text');
      if (shown) shown.textContent = text;
    }
    unit.setAttribute('data-revision', String(change.revision));
    if (change.state) {
      unit.setAttribute('data-state', change.state);
      const badge = unit.querySelector('[data-badge]');
      if (badge) {
        badge.textContent = strings.states[change.state] ?? change.state;
        badge.className = `badge badge-${change.state}`;
      }
    }
  }

  // Live: what others save, approve or send back on this locale shows at its paragraph within a moment.
  if (typeof EventSource === 'function') {
    const events = new EventSource(`/api${base}/events`);
    // Said on the page, for whoever needs to know the page is live (a test, a style).
    events.addEventListener('open', () => container.setAttribute('data-live', 'open'));
    events.addEventListener('error', () => container.setAttribute('data-live', 'closed'));
    events.addEventListener('presence', (event) => {
      try {
        presenceChanged((event as MessageEvent<string>).data);
      } catch {
        // A malformed event changes nothing.
      }
    });
    events.addEventListener('paragraph', (event) => {
      try {
        applyRemote(JSON.parse((event as MessageEvent<string>).data) as RemoteChange);
      } catch {
        // A malformed event changes nothing.
      }
    });
    window.addEventListener('pagehide', () => events.close());
  }

  // Reported once now and on every focus (above); renewed now and then, so that a page left open still counts.
  if (container.getAttribute('data-signed-in') === 'yes') {
    void reportPresence();
    setInterval(() => void reportPresence(), 30000);
  }

  window.addEventListener('beforeunload', (event) => {
    if (forms.some(isDirty)) {
      event.preventDefault();
      event.returnValue = strings.unsaved;
      return strings.unsaved;
    }
    return undefined;
  });
})();
