import type { i18n } from 'i18next';
import type { EditionLabels } from '../domain/edition';

/**
 * The words an edition prints, in the edition's own language when the interface has a catalog for
 * it (English otherwise): a Spanish book says "Índice", whoever exports it.
 */
export function editionLabels(i18next: i18n, language: string, facts: { percent: number; version: number; versionDate: string }): EditionLabels {
  const t = i18next.getFixedT(language, 'ui', 'editionText');
  const percent = new Intl.NumberFormat(language, { style: 'percent' }).format(facts.percent / 100);
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'long' }).format(new Date(facts.versionDate));
  return {
    contents: t('contents'),
    provenance: t('provenance'),
    opening: t('opening'),
    draft: t('draft'),
    draftNotice: t('draftNotice', { percent }),
    markUntranslated: t('markUntranslated'),
    markDrifted: t('markDrifted'),
    markUnapproved: t('markUnapproved'),
    sourceTitle: t('sourceTitle'),
    authors: t('authors'),
    sourceLanguage: t('sourceLanguage'),
    sourceVersion: t('sourceVersion', { version: facts.version, date }),
    originalTranslation: t('originalTranslation'),
    translators: t('translators'),
    reviewers: t('reviewers'),
    completeness: t('completeness'),
    license: t('license'),
    exportedAt: t('exportedAt'),
    madeWith: t('madeWith', { version: facts.version }),
  };
}
