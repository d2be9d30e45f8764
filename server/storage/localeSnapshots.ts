import type { Stats } from 'node:fs';
import { relative } from 'node:path';
import type { LocaleFile, Unit } from '../domain/types';
import { fileStamp } from './fileIdentity';
import type { LocalePaths } from './localePaths';
import type { SourceTextsOf } from './sourceTexts';
import type { StampedSnapshots } from './stampedSnapshots';

/** The key under which a locale file's snapshot says which of its units are written as read: `1` or `0` per unit. */
const WRITTEN_KEY = 'workbench:written';
/** The key under which a locale file's snapshot names the source texts its units' missing `source` are (see SourceTexts). */
const SOURCES_KEY = 'workbench:sources';

/** Locale files' models kept between processes (see StampedSnapshots), each under its file's stamp. */
export interface LocaleSnapshots {
  /**
   * The model kept of the file as `stats` says it is, with which of its units are written as read
   * (see readSkeletonXliff12) when the snapshot says: a change then holds the file without looking
   * at each unit's text for it (a twentieth of a second for a book's file).
   */
  read(path: string, stats: Stats): Promise<{ model: LocaleFile; written?: boolean[] } | undefined>;
  /** Whether a snapshot of the file as `stats` says it is is kept (see StampedSnapshots.has). */
  has(path: string, stats: Stats): Promise<boolean>;
  /** Keeps `model` (with `written`, when known for each unit) as the model of the file `stats` says. */
  write(path: string, stats: Stats, model: LocaleFile, written: readonly boolean[] | undefined): void;
}

/**
 * The snapshots of the locale files under `dir`, kept in `kept` by their paths under `dir`. With
 * `sourceTexts`, a snapshot leaves out the units' source texts that are the paragraphs' own (see
 * withoutOwnSources), and is read back only with the same texts.
 */
export function createLocaleSnapshots(kept: StampedSnapshots, options: { dir: string; paths: Pick<LocalePaths, 'localeOf'>; sourceTexts?: SourceTextsOf }): LocaleSnapshots {
  const { dir, paths, sourceTexts } = options;

  /**
   * The model as its snapshot keeps it: without the source texts of its units that are the
   * paragraphs' own in the version of the document this process holds, named by SOURCES_KEY (see
   * SourceTexts); as it is when there is no such version, or no such unit.
   */
  function withoutOwnSources(path: string, model: LocaleFile): LocaleFile | (Omit<LocaleFile, 'units'> & { units: Partial<Unit>[]; [SOURCES_KEY]: string }) {
    const locale = paths.localeOf(path);
    const texts = locale && sourceTexts?.held(locale.document);
    if (!texts) return model;
    let left = 0;
    const units = model.units.map((unit): Partial<Unit> => {
      if (unit.source !== texts.textOf(unit.id)) return unit;
      left++;
      const rest: Partial<Unit> = { ...unit };
      delete rest.source;
      return rest;
    });
    return left === 0 ? model : { ...model, units, [SOURCES_KEY]: texts.key };
  }

  return {
    async read(path, stats) {
      const value = (await kept.read(relative(dir, path), fileStamp(stats))) as (LocaleFile & { [WRITTEN_KEY]?: unknown; [SOURCES_KEY]?: unknown }) | undefined;
      if (!value || !Array.isArray(value.units)) return undefined;
      const { [WRITTEN_KEY]: bits, [SOURCES_KEY]: sourcesKey, ...model } = value;
      if (sourcesKey !== undefined) {
        // Units without their source text take the paragraph's, from the very texts the snapshot
        // was made with; without them, the snapshot is not used (the file is read).
        const locale = paths.localeOf(path);
        const texts = locale && (await sourceTexts?.kept(locale.document));
        if (!texts || texts.key !== sourcesKey) return undefined;
        for (const unit of model.units as Partial<Unit>[]) {
          if (unit.source !== undefined) continue;
          const text = typeof unit.id === 'string' ? texts.textOf(unit.id) : undefined;
          if (text === undefined) return undefined;
          unit.source = text;
        }
      }
      const written = typeof bits === 'string' && bits.length === model.units.length ? Array.from(bits, (bit) => bit === '1') : undefined;
      return { model, written };
    },

    has(path, stats) {
      return kept.has(relative(dir, path), fileStamp(stats));
    },

    write(path, stats, model, written) {
      const bits = written?.length === model.units.length ? written.map((w) => (w ? '1' : '0')).join('') : undefined;
      kept.write(relative(dir, path), fileStamp(stats), { ...withoutOwnSources(path, model), ...(bits === undefined ? {} : { [WRITTEN_KEY]: bits }) });
    },
  };
}
