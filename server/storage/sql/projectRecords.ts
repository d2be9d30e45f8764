import { createSqlStagedAlignmentRepository } from './sqlStagedAlignmentRepository';
import type { StagedAlignmentRepository } from '../stagedAlignmentRepository';
import type { AccountRepository } from '../../accounts/accountRepository';
import type { LoginThrottle } from '../../auth/loginThrottle';
import type { SessionStore } from '../../auth/sessionStore';
import type { CheckDismissalRepository } from '../checkDismissalRepository';
import type { DiscussionRepository } from '../discussionRepository';
import type { GlossaryRepository } from '../glossaryRepository';
import type { EditionRepository } from '../editionRepository';
import type { HistoryRepository } from '../historyRepository';
import { migrateLegacyFiles, type LegacyMigration } from '../legacy/migrateLegacyFiles';
import type { MemoryRepository } from '../memoryRepository';
import type { StagedImportRepository } from '../stagedImportRepository';
import { projectDatabase, type SqlDatabase } from './openDatabase';
import { createSqlAccountRepository } from './sqlAccountRepository';
import { createSqlCheckDismissalRepository } from './sqlCheckDismissalRepository';
import { createSqlDiscussionRepository } from './sqlDiscussionRepository';
import { createSqlEditionRepository } from './sqlEditionRepository';
import { createSqlGlossaryRepository } from './sqlGlossaryRepository';
import { createSqlHistoryRepository } from './sqlHistoryRepository';
import { createSqlLoginThrottle } from './sqlLoginThrottle';
import { createSqlMemoryRepository } from './sqlMemoryRepository';
import { createSqlSessionStore } from './sqlSessionStore';
import { createSqlStagedImportRepository } from './sqlStagedImportRepository';
import { createSqlUnitJournal } from './sqlUnitJournal';
import type { UnitJournal } from '../unitJournal';

/** Every record of a project other than its texts and translations, one repository per concern. */
export interface ProjectRecords {
  db: SqlDatabase;
  accounts: AccountRepository;
  sessions: SessionStore;
  throttle: LoginThrottle;
  history: HistoryRepository;
  discussions: DiscussionRepository;
  editions: EditionRepository;
  memories: MemoryRepository;
  staged: StagedImportRepository;
  alignments: StagedAlignmentRepository;
  journal: UnitJournal;
  dismissals: CheckDismissalRepository;
  glossaries: GlossaryRepository;
  /** What this process moved from the files of the previous version, if it found any. */
  migrated?: LegacyMigration;
}

const made = new WeakMap<SqlDatabase, ProjectRecords>();

/**
 * The records of a project folder, in `<dataDir>/workbench.db`: opened (and migrated, and the files of
 * the previous version moved in) once per process. `check` runs SQLite's integrity check first, as
 * the server does at start.
 */
export function projectRecords(dataDir: string, options: { check?: boolean } = {}): ProjectRecords {
  const db = projectDatabase(dataDir, options);
  let records = made.get(db);
  if (!records) {
    const migrated = migrateLegacyFiles(db, dataDir);
    records = {
      db,
      accounts: createSqlAccountRepository(db),
      sessions: createSqlSessionStore(db),
      throttle: createSqlLoginThrottle(db),
      history: createSqlHistoryRepository(db),
      discussions: createSqlDiscussionRepository(db),
      editions: createSqlEditionRepository(db),
      memories: createSqlMemoryRepository(db),
      staged: createSqlStagedImportRepository(db),
      alignments: createSqlStagedAlignmentRepository(db),
      journal: createSqlUnitJournal(db),
      dismissals: createSqlCheckDismissalRepository(db),
      glossaries: createSqlGlossaryRepository(db),
      ...(migrated ? { migrated } : {}),
    };
    made.set(db, records);
  }
  return records;
}
