import type { Segment, Unit } from '../server/domain/types';
import { acceptSuggestion } from '../server/domain/workflow/acceptSuggestion';
import { approve } from '../server/domain/workflow/approve';
import { AUTHOR_ACTIONS, authorOf } from '../server/domain/workflow/authorOf';
import { keepCurrent } from '../server/domain/workflow/keepCurrent';
import { propagate } from '../server/domain/workflow/propagate';
import { replaceText } from '../server/domain/workflow/replaceText';
import { revertTo } from '../server/domain/workflow/revertTo';
import { sendBack } from '../server/domain/workflow/sendBack';
import type { TransitionInput } from '../server/domain/workflow/transition';
import { translate } from '../server/domain/workflow/translate';

const segment: Segment = { id: 's1', kind: 'paragraph', text: 'The new source.', translatable: true };
const AT = '2026-12-04T12:00:00.000Z';
const input = (unit: Partial<Unit>, who = 'Ana'): TransitionInput => ({
  unit: Object.freeze({ id: 's1', source: segment.text, approved: false, revision: 3, notes: [], ...unit }),
  segment,
  version: 2,
  who,
  at: AT,
});
const translated = { target: 'La fuente.', state: 'translated' as const };

describe('the workflow transitions', () => {
  it('translate: translated and current, never approved, revision + 1, a save entry with before and after; the stored unit is not touched', () => {
    const from = input({ ...translated, approved: true, state: 'signed-off', source: 'The old source.', previous: { source: 'x' } });
    const { unit, entry } = translate(from, 'La nueva fuente.');
    expect(unit).toMatchObject({ target: 'La nueva fuente.', source: segment.text, state: 'translated', approved: false, previous: undefined, sourceVersion: 2, revision: 4 });
    expect(entry).toEqual({ at: AT, who: 'Ana', segment: 's1', action: 'save', before: { target: 'La fuente.', state: 'signed-off' }, after: { target: 'La nueva fuente.', state: 'translated' }, version: 2 });
    expect(from.unit.target).toBe('La fuente.');
    expect(translate(input(translated), '').unit).toMatchObject({ target: undefined, state: 'needs-translation', revision: 4 });
  });

  it('propagate: the translation of the same source made current here, its own entry', () => {
    const { unit, entry } = propagate(input({ state: 'needs-translation' }), 'La nueva fuente.');
    expect(unit).toMatchObject({ target: 'La nueva fuente.', source: segment.text, state: 'translated', approved: false, revision: 4 });
    expect(entry).toMatchObject({ action: 'propagate', who: 'Ana', after: { target: 'La nueva fuente.', state: 'translated' } });
  });

  it('replaceText: the new text, a drifted translation still drifted, an approved one translated again', () => {
    const drifted = replaceText(input({ ...translated, source: 'The old source.', state: 'needs-review-translation' }), 'La otra fuente.');
    expect(drifted.unit).toMatchObject({ target: 'La otra fuente.', source: 'The old source.', state: 'needs-review-translation', revision: 4 });
    expect(drifted.entry.action).toBe('replace');
    expect(replaceText(input({ ...translated, approved: true, state: 'signed-off' }), 'La otra fuente.').unit).toMatchObject({ approved: false, state: 'translated' });
  });

  it('keepCurrent: a drifted translation becomes current as it is; 409 when there is none or it is current', () => {
    const { unit, entry } = keepCurrent(input({ ...translated, source: 'The old source.', state: 'needs-review-translation', previous: { source: 'The old source.' } }));
    expect(unit).toMatchObject({ target: 'La fuente.', source: segment.text, state: 'translated', previous: undefined, sourceVersion: 2 });
    expect(entry.action).toBe('still-correct');
    expect(() => keepCurrent(input({}))).toThrow(expect.objectContaining({ status: 409, code: 'not-translated' }));
    expect(() => keepCurrent(input(translated))).toThrow(expect.objectContaining({ status: 409, code: 'not-drifted' }));
  });

  it('approve: signed-off and approved; 403 for the author unless allowed; 409 when untranslated or drifted', () => {
    const { unit, entry } = approve(input(translated, 'Bruno'), { author: 'Ana', allowSelfApproval: false });
    expect(unit).toMatchObject({ approved: true, state: 'signed-off', target: 'La fuente.' });
    expect(entry).toMatchObject({ action: 'approve', who: 'Bruno', after: { state: 'signed-off' } });
    expect(() => approve(input(translated, 'Ana'), { author: 'Ana', allowSelfApproval: false })).toThrow(expect.objectContaining({ status: 403, code: 'own-translation' }));
    expect(approve(input(translated, 'Ana'), { author: 'Ana', allowSelfApproval: true }).unit.approved).toBe(true);
    expect(() => approve(input({}, 'Bruno'), { author: undefined, allowSelfApproval: false })).toThrow(expect.objectContaining({ status: 409, code: 'not-translated' }));
    expect(() => approve(input({ ...translated, source: 'The old source.' }, 'Bruno'), { author: 'Ana', allowSelfApproval: false })).toThrow(expect.objectContaining({ status: 409, code: 'drifted' }));
  });

  it('sendBack: needs work, with the comment as a note from the reviewer; 400 without a comment, 413 for a long one', () => {
    const { unit, entry } = sendBack(input({ ...translated, approved: true, state: 'signed-off' }, 'Bruno'), '  Falta una coma.  ');
    expect(unit).toMatchObject({ approved: false, state: 'needs-translation', notes: [{ text: 'Falta una coma.', from: 'Bruno', annotates: 'target' }] });
    expect(entry.action).toBe('reject');
    expect(() => sendBack(input(translated, 'Bruno'), '   ')).toThrow(expect.objectContaining({ status: 400, code: 'comment-required' }));
    expect(() => sendBack(input(translated, 'Bruno'), 'x'.repeat(5001))).toThrow(expect.objectContaining({ status: 413 }));
    expect(() => sendBack(input({}, 'Bruno'), 'No.')).toThrow(expect.objectContaining({ status: 409, code: 'not-translated' }));
  });

  it('revertTo: the text an entry recorded, translated and current again; 404 for an entry without one', () => {
    const { unit, entry } = revertTo(input({ ...translated, approved: true, state: 'signed-off' }), { at: AT, who: 'Bo', segment: 's1', action: 'save', after: { target: 'Antes.' } });
    expect(unit).toMatchObject({ target: 'Antes.', state: 'translated', approved: false, source: segment.text });
    expect(entry).toMatchObject({ action: 'revert', before: { target: 'La fuente.' }, after: { target: 'Antes.' } });
    expect(() => revertTo(input(translated), undefined)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => revertTo(input(translated), { at: AT, who: 'Bo', segment: 's1', action: 'remove' })).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('acceptSuggestion: the suggestion becomes the translation, credited to its author as well; 409 once decided', () => {
    const { unit, entry } = acceptSuggestion(input(translated, 'Ana'), { text: 'Mejor así.', author: 'Bruno', status: 'open' });
    expect(unit).toMatchObject({ target: 'Mejor así.', state: 'translated' });
    expect(entry).toMatchObject({ action: 'suggestion-accepted', who: 'Ana', suggestedBy: 'Bruno' });
    expect(() => acceptSuggestion(input(translated), { text: 'x', author: 'Bruno', status: 'declined' })).toThrow(expect.objectContaining({ status: 409 }));
    expect(() => acceptSuggestion(input(translated, 'Bruno'), { text: 'x', author: 'Bruno', status: 'open' })).toThrow(expect.objectContaining({ status: 403, code: 'own-suggestion' }));
  });

  it('authorOf: who wrote the text, the suggester for an accepted suggestion', () => {
    expect(AUTHOR_ACTIONS).toEqual(['save', 'revert', 'suggestion-accepted', 'import', 'propagate', 'replace']);
    expect(authorOf({ at: AT, who: 'Ana', segment: 's1', action: 'import' })).toBe('Ana');
    expect(authorOf({ at: AT, who: 'Ana', segment: 's1', action: 'save' })).toBe('Ana');
    expect(authorOf({ at: AT, who: 'Ana', segment: 's1', action: 'suggestion-accepted', suggestedBy: 'Bruno' })).toBe('Bruno');
    expect(authorOf(undefined)).toBeUndefined();
  });
});
