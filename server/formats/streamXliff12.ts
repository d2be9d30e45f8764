/**
 * Reading a locale file without a DOM: one pass of a streaming parser (saxes) over the text gives
 * the model, a scan of the bytes gives where each unit is, and the file is held as a skeleton (see
 * readSkeletonXliff12): a unit is parsed into elements only when a change writes into it. For a
 * book, a fifth of the time of a whole DOM and a small part of its memory.
 *
 * It reads what parseXliff12 reads, to the same model. Anything it is not sure of (a file that is
 * not well-formed, not XLIFF 1.2 as the workbench keeps it, a unit parseXliff12 would refuse) gives
 * undefined: the caller parses the file in full, which reads it or says exactly what is wrong.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { LocaleFile, Unit, UnitNote, XliffState } from '../domain/types';
import { type HeldXliff12, readHeldXliff12 } from './xliff12Spans';
import { FILE_GROUP, NOTE_ANNOTATES, PREVIOUS_VERSION, REVISION_COUNT_TYPE, REVISION_GROUP, revisionGroupName, SOURCE_VERSION_COUNT_TYPE, XLIFF12_NS, XLIFF_STATES, MACHINE_QUALIFIER } from './xliff12Vocabulary';
import { findInvalidXmlChar } from './xmlScan';
import { isUtf8Xml } from './xmlSafety';

/** What an open element is to the reader. */
const enum Role {
  Other,
  Root,
  File,
  Header,
  FileGroup,
  FileCount,
  Body,
  Group,
  Unit,
  Source,
  Target,
  Note,
  AltTrans,
  AltSource,
  AltTarget,
  CountGroup,
  Count,
}

/** A `<count-group>` of a unit: its name, its first revision and source-version counts (their texts), whether it has any element. */
interface CountGroup {
  name: string;
  revision?: string;
  sourceVersion?: string;
  hasElement: boolean;
}

/** A unit being read: what readUnit and writesAsRead look at, found in document order. */
interface UnitReading {
  id: string;
  approved: string | undefined;
  /** Its xml:space, which the writer gives every unit (see writeUnit). */
  space: string | undefined;
  source?: string;
  target?: { text: string; state: string | undefined; qualifier: string | undefined };
  notes: UnitNote[];
  /** The first previous-version alt-trans: its first source and target (undefined: none), as texts. */
  previous?: { source?: string; target?: string };
  groups: CountGroup[];
}

class NotOurs extends Error {}

/** The file `bytes` held for a change without a DOM of its units (see readHeldXliff12), or undefined (see above). */
export function streamXliff12(bytes: Buffer, ctx: { file: string }): HeldXliff12 | undefined {
  const read = streamModel(bytes);
  return read && readHeldXliff12(bytes, read.model, ctx, read.written);
}

/** The model of the file `bytes` (UTF-8), with which units are written as read, or undefined (see above). */
export function streamModel(bytes: Uint8Array): { model: LocaleFile; written: boolean[] } | undefined {
  // A file in another encoding (a hand edit saved as windows-1252, say) is read by decodeXmlBytes.
  if (!isUtf8Xml(bytes)) return undefined;
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  if (findInvalidXmlChar(xml)) return undefined;
  return readModel(xml);
}

/**
 * The model of a locale file's text, with whether each unit is written as read (see writesAsRead),
 * or undefined.
 */
export function readModel(xml: string): { model: LocaleFile; written: boolean[] } | undefined {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const roles: Role[] = [];
  const units: Unit[] = [];
  const written: boolean[] = [];
  const ids = new Set<string>();
  let files = 0;
  let headers = 0;
  let bodies = 0;
  let fileAttributes: Record<string, string> = {};
  let fileGroupSeen = false;
  let sourceVersionText: string | undefined;
  let unit: UnitReading | undefined;
  let group: CountGroup | undefined;
  let note: UnitNote | undefined;
  let altTarget = false;
  let altSource = false;
  /** The text being gathered (the content of a source, target, note or count), with the depth of its element. */
  let text = '';
  let textDepth = -1;

  const attribute = (tag: SaxesTagNS, name: string): string | undefined => {
    const attr = tag.attributes[name];
    return attr === undefined ? undefined : attr.value;
  };
  const gather = (): void => {
    text = '';
    textDepth = roles.length;
  };

  parser.on('opentag', (tag) => {
    const parent = roles.length ? roles[roles.length - 1] : undefined;
    const ours = tag.uri === XLIFF12_NS;
    const local = tag.local;
    let role = Role.Other;
    if (parent === undefined) {
      if (!ours || local !== 'xliff' || attribute(tag, 'version') !== '1.2') throw new NotOurs();
      role = Role.Root;
    } else if (!ours) {
      if (parent === Role.CountGroup && group) group.hasElement = true;
    } else if (parent === Role.Root) {
      if (local === 'file') {
        if (++files > 1) throw new NotOurs();
        role = Role.File;
        fileAttributes = {};
        for (const name of ['original', 'source-language', 'target-language']) {
          const value = attribute(tag, name);
          if (value) fileAttributes[name] = value;
        }
      }
    } else if (parent === Role.File) {
      if (local === 'header' && ++headers === 1) role = Role.Header;
      else if (local === 'body' && ++bodies === 1) role = Role.Body;
    } else if (parent === Role.Header) {
      if (local === 'count-group' && !fileGroupSeen && attribute(tag, 'name') === FILE_GROUP) {
        fileGroupSeen = true;
        role = Role.FileGroup;
      }
    } else if (parent === Role.FileGroup) {
      if (local === 'count' && sourceVersionText === undefined && attribute(tag, 'count-type') === SOURCE_VERSION_COUNT_TYPE) {
        role = Role.FileCount;
        gather();
      }
    } else if (parent === Role.Body || parent === Role.Group) {
      if (local === 'group') role = Role.Group;
      else if (local === 'trans-unit') {
        const id = attribute(tag, 'id');
        if (!id || ids.has(id)) throw new NotOurs();
        ids.add(id);
        unit = { id, approved: attribute(tag, 'approved'), space: attribute(tag, 'xml:space'), notes: [], groups: [] };
        role = Role.Unit;
      }
    } else if (parent === Role.Unit && unit) {
      switch (local) {
        case 'source':
          if (unit.source === undefined) {
            role = Role.Source;
            gather();
          }
          break;
        case 'target':
          if (!unit.target) {
            unit.target = { text: '', state: attribute(tag, 'state'), qualifier: attribute(tag, 'state-qualifier') };
            role = Role.Target;
            gather();
          }
          break;
        case 'note': {
          note = { text: '' };
          const from = attribute(tag, 'from');
          if (from !== undefined) note.from = from;
          const priority = attribute(tag, 'priority');
          if (priority !== undefined) {
            const value = Number(priority);
            if (!/^\s*\d+\s*$/.test(priority) || value < 1 || value > 10) throw new NotOurs();
            note.priority = value;
          }
          const annotates = attribute(tag, 'annotates');
          if (annotates !== undefined) {
            if (!NOTE_ANNOTATES.has(annotates)) throw new NotOurs();
            note.annotates = annotates as UnitNote['annotates'];
          }
          role = Role.Note;
          gather();
          break;
        }
        case 'alt-trans':
          if (!unit.previous && attribute(tag, 'alttranstype') === PREVIOUS_VERSION) {
            unit.previous = {};
            altSource = false;
            altTarget = false;
            role = Role.AltTrans;
          }
          break;
        case 'count-group':
          group = { name: attribute(tag, 'name') ?? '', hasElement: false };
          unit.groups.push(group);
          role = Role.CountGroup;
          break;
      }
    } else if (parent === Role.AltTrans) {
      if (local === 'source' && !altSource) {
        altSource = true;
        role = Role.AltSource;
        gather();
      } else if (local === 'target' && !altTarget) {
        altTarget = true;
        role = Role.AltTarget;
        gather();
      }
    } else if (parent === Role.CountGroup && group) {
      group.hasElement = true;
      if (local === 'count') {
        const type = attribute(tag, 'count-type');
        if ((type === REVISION_COUNT_TYPE && group.revision === undefined) || (type === SOURCE_VERSION_COUNT_TYPE && group.sourceVersion === undefined)) {
          role = Role.Count;
          gather();
          if (type === REVISION_COUNT_TYPE) group.revision = '';
          else group.sourceVersion = '';
        }
      }
    }
    roles.push(role);
    // An empty element's close comes at once, as its own event.
  });

  const onText = (data: string): void => {
    if (textDepth >= 0) text += data;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.on('closetag', (tag) => {
    const role = roles.pop();
    if (roles.length === textDepth) textDepth = -1;
    switch (role) {
      case Role.FileCount:
        sourceVersionText = text;
        break;
      case Role.Source:
        if (unit) unit.source = text;
        break;
      case Role.Target:
        if (unit?.target) unit.target.text = text;
        break;
      case Role.Note:
        if (unit && note) {
          note.text = text;
          unit.notes.push(note);
        }
        note = undefined;
        break;
      case Role.AltSource:
        if (unit?.previous) unit.previous.source = text;
        break;
      case Role.AltTarget:
        if (unit?.previous) unit.previous.target = text;
        break;
      case Role.Count:
        if (group) {
          const type = attribute(tag as SaxesTagNS, 'count-type');
          if (type === REVISION_COUNT_TYPE) group.revision = text;
          else group.sourceVersion = text;
        }
        break;
      case Role.CountGroup:
        group = undefined;
        break;
      case Role.Unit:
        if (unit) {
          const read = unitOf(unit);
          units.push(read);
          written.push(writesAsRead(unit, read));
        }
        unit = undefined;
        break;
    }
  });

  try {
    parser.write(xml).close();
  } catch {
    return undefined;
  }
  const { original, 'source-language': sourceLanguage, 'target-language': targetLanguage } = fileAttributes;
  if (files !== 1 || bodies < 1 || !original || !sourceLanguage || !targetLanguage) return undefined;
  const model: LocaleFile = { document: original, sourceLanguage, targetLanguage, units };
  if (sourceVersionText !== undefined) {
    const version = wholeNumber(sourceVersionText);
    if (version === undefined) return undefined;
    model.sourceVersion = version;
  }
  return { model, written };
}

/** readWholeNumber's rule, without a refusal (undefined): the caller parses in full to say what is wrong. */
function wholeNumber(raw: string): number | undefined {
  const trimmed = raw.trim();
  return /^\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed)) ? Number(trimmed) : undefined;
}

/** A whole number read inside the parse: anything else stops it. */
function wholeNumberOrStop(raw: string): number {
  const value = wholeNumber(raw);
  if (value === undefined) throw new NotOurs();
  return value;
}

/** The unit's revision group, as unitParts finds it: its own name first, then a legacy shared one. */
function revisionGroupOf(reading: UnitReading): CountGroup | undefined {
  const own = revisionGroupName(reading.id);
  return reading.groups.find((g) => g.name === own) ?? reading.groups.find((g) => g.name === REVISION_GROUP || g.name.startsWith(`${REVISION_GROUP}:`));
}

/** writesAsRead, from what was read of the unit. */
function writesAsRead(reading: UnitReading, unit: Unit): boolean {
  if (reading.space !== 'preserve') return false;
  if (reading.approved !== undefined && reading.approved !== 'yes' && reading.approved !== 'no') return false;
  if (reading.previous && reading.previous.target === undefined) return false;
  const group = revisionGroupOf(reading);
  if (!group) return true;
  if (group.revision === undefined && group.sourceVersion === undefined) return group.hasElement;
  if (group.name !== revisionGroupName(unit.id)) return false;
  if (group.revision !== undefined && group.revision !== String(unit.revision)) return false;
  if (group.sourceVersion !== undefined && group.sourceVersion !== String(unit.sourceVersion)) return false;
  return true;
}

/** The unit readUnit gives for what was read (see readUnit). */
function unitOf(reading: UnitReading): Unit {
  const { id } = reading;
  if (reading.source === undefined) throw new NotOurs();
  const unit: Unit = { id, source: reading.source, approved: reading.approved === 'yes', revision: 0, notes: reading.notes };
  const target = reading.target;
  if (target) {
    if (target.state && XLIFF_STATES.has(target.state)) unit.state = target.state as XliffState;
    if (!(target.text === '' && target.state === 'needs-translation')) unit.target = target.text;
    if (unit.target !== undefined && target.qualifier === MACHINE_QUALIFIER) unit.machine = true;
  }
  const group = revisionGroupOf(reading);
  if (group?.revision !== undefined) unit.revision = wholeNumberOrStop(group.revision);
  if (group?.sourceVersion !== undefined) unit.sourceVersion = wholeNumberOrStop(group.sourceVersion);
  if (reading.previous) {
    unit.previous = { source: reading.previous.source ?? '' };
    if (reading.previous.target) unit.previous.target = reading.previous.target;
  }
  return unit;
}
