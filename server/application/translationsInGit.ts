/**
 * A project kept in git: its translations committed by their authors in batches, shared through a
 * remote, merged by paragraph (see mergeLocaleFiles and the merge driver `workbench git
 * merge-driver`). Git is on when the project folder is the top of a git work tree whose
 * `.gitattributes` routes locale files to the workbench's merge driver (`workbench git init` sets
 * it up). The database keeps every single save; git carries the batches.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import type { Suggestion } from '../domain/discussion';
import type { Unit } from '../domain/types';
import { isDocumentId } from '../domain/documentId';
import { isLocaleTag } from '../domain/localeTag';
import { messageOf, VERBS } from '../domain/commitMessage';
import { isMergeSuggestionId, type MergeSuggestion } from '../domain/mergeSuggestion';
import { MergeSuggestionLists, parseSuggestion } from '../storage/mergeSuggestionLists';
import { WorkbenchError } from '../errors';
import { refuseConflictMarkers } from '../formats/mergeXliff12';
import { withUnitsOffThread } from '../formats/mergeAheadOffThread';
import { joinChunks } from '../formats/xliff12Spans';
import { applyMergeAhead, mergeAheadHolds } from './applyMergeAhead';
import { unitVersionsOffThread } from '../formats/unitVersionsOffThread';
import { authorOf, GIT_ATTRIBUTES, GIT_IGNORE, GitRepository, PROJECT_PATHS, WORKBENCH_COMMITTER } from '../git/gitRepository';
import { type MergeAheadPlan, planMergeAhead } from '../git/planMergeAhead';
import { runGit } from '../git/runGit';
import { type PlannedCommit, writeCommits } from '../git/writeCommits';
import type { DiscussionRepository } from '../storage/discussionRepository';
import type { HistoryRepository, NumberedEntry } from '../storage/historyRepository';
import { keyedLock } from '../storage/keyedLock';
import { writeFileAtomic } from '../storage/writeFileAtomic';
import { readWholeFile } from '../storage/readWholeFile';
import type { LocaleStore } from '../storage/localeStore';
import type { ProjectLock } from '../storage/projectLock';

/** When batches are committed and the remote synced (`"git"` in workbench.config.json, in seconds there). */
export interface GitSettings {
  /** A batch is committed once saves have paused this long (default 30 s)… */
  commitDelayMs: number;
  /** …and at the latest this long after its first save (default 5 minutes). */
  maxDelayMs: number;
  /** Sync with the remote this often (none by default). */
  syncEveryMs?: number;
}

export const DEFAULT_GIT_SETTINGS: GitSettings = { commitDelayMs: 30_000, maxDelayMs: 300_000 };

/** What a sync did. */
export interface SyncReport {
  /** Commits made of pending changes. */
  committed: number;
  /** The remote synced with (none: the project has no remote, only commits were made). */
  remote?: string;
  /** Whether the remote's commits were merged (false: there was nothing new). */
  merged: boolean;
  /** Paragraphs both sides changed: the other text became a suggestion. */
  conflicts: number;
  pushed: boolean;
  /** The remote's history had lost commits we pushed: they are kept on this branch (pushed too). */
  keptBranch?: string;
  at: string;
}

/** What a merge driver run left for the sync that started it: the texts it did not keep. */
export const MERGE_RECORD = 'merge-conflicts.jsonl';


/** What the merge part of a sync did (see mergeAhead, mergeAlone): the branch's head after it. */
interface Merged {
  committed: number;
  merged: boolean;
  conflicts: number;
  head?: string;
}

/** The subject of the commit of a merge's suggestions. */
const keptSubject = (conflicts: number): string => `Keep ${conflicts} paragraph${conflicts === 1 ? '' : 's'} changed on both sides as suggestions`;

/** The id git gives `bytes` as a blob (SHA-1, or SHA-256 in a repository of that format: the length of `like` tells). */
function blobId(bytes: Uint8Array, like?: string): string {
  const hash = createHash(like?.length === 64 ? 'sha256' : 'sha1');
  return hash.update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

/** The workbench as the committer of the commits it writes (see writeCommits). */
const COMMITTER = { name: WORKBENCH_COMMITTER.GIT_COMMITTER_NAME, email: WORKBENCH_COMMITTER.GIT_COMMITTER_EMAIL };

/** How often a project found not to be in git is looked at again. */
const RECHECK_MS = 30_000;

/** The most history entries a batch credits. */
const BATCH_ENTRIES = 1_000_000;

/** History entries since the last batch, read ahead of a moment alone (see TranslationsInGit.entriesAhead). */
interface EntriesAhead {
  marker: number;
  entries: NumberedEntry[];
}

/** What a batch is asked to be (see commitBatch): the set-up's first commit, or a subject of its own. */
interface BatchOptions {
  setupFiles?: boolean;
  who?: string;
  subject?: string;
}

/** What a batch commits, taken under the project's lock (see commitBatch). */
interface Batch {
  parent: string | undefined;
  changed: string[];
  /** The changed files' bytes when the batch was taken (undefined: deleted). */
  bytes: Map<string, Uint8Array | undefined>;
  byPerson: Map<string, NumberedEntry[]>;
  /** The newest history entry the batch accounts for (undefined: the set-up's, which accounts for none). */
  newest: number | undefined;
  options: BatchOptions;
}

export class TranslationsInGit {
  private repo: GitRepository | null | undefined;
  private lookedAt = 0;
  private timer?: NodeJS.Timeout;
  private pendingSince?: number;
  private lastNewest = 0;
  private lastChangeAt = 0;
  private lastSyncAt = Date.now();
  private committing?: Promise<number>;
  /** The merge suggestion lists of the project's files. */
  private readonly lists: MergeSuggestionLists;
  /** The last sync's report, or its failure's message, for the Sync page. */
  last?: { report?: SyncReport; error?: string; at: string };

  constructor(
    private readonly deps: {
      dir: string;
      history: HistoryRepository;
      discussions: DiscussionRepository;
      locales: Pick<LocaleStore, 'writeJournaled' | 'prepareUnitChanges' | 'peek' | 'readForChange' | 'readBytes' | 'readParts' | 'writesBehind'>;
      lock: ProjectLock;
      /** The lock of the project's git work between processes (see gitLock): a sync's steps. */
      gitLock: ProjectLock;
      settings: GitSettings;
      /** The CLI script, by absolute path: what the merge driver runs. */
      cliScript: string;
    },
  ) {
    this.lists = new MergeSuggestionLists(deps.dir);
  }

  /** The project's repository when git is on (see above); looked up once. */
  async repository(): Promise<GitRepository | undefined> {
    // A project not in git is looked at again now and then: `workbench git init` may run while a server does.
    if (this.repo === undefined || (this.repo === null && Date.now() - this.lookedAt > RECHECK_MS)) {
      this.lookedAt = Date.now();
      const repo = await GitRepository.at(this.deps.dir);
      this.repo = repo && (await repo.hasAttributes()) ? repo : null;
    }
    return this.repo ?? undefined;
  }

  /**
   * `workbench git init`: makes the project folder a git repository (or sets up the one it is),
   * writes `.gitignore` and `.gitattributes`, registers the merge driver, adds the remote when
   * given, and commits the project's files as they are.
   */
  async init(options: { remote?: string; who: string }): Promise<{ created: boolean; commits: number }> {
    const dir = this.deps.dir;
    let repo = await GitRepository.at(dir);
    const created = !repo;
    if (!repo) {
      await runGit(dir, ['init', '-q']);
      repo = await GitRepository.at(dir);
      if (!repo) throw new WorkbenchError(500, 'git-init-failed', `git init made no repository in ${dir}.`);
    }
    await appendLines(path.join(dir, '.gitignore'), GIT_IGNORE);
    await appendLines(path.join(dir, '.gitattributes'), GIT_ATTRIBUTES);
    await repo.registerDriver(this.deps.cliScript);
    if (options.remote) {
      const existing = await repo.remote();
      if (existing) await repo.run(['remote', 'set-url', existing, options.remote], { code: 'git-remote-invalid', status: 400 });
      else await repo.run(['remote', 'add', 'origin', options.remote], { code: 'git-remote-invalid', status: 400 });
    }
    this.repo = repo;
    // What the project holds now is its first commit (the history so far is in the database).
    const { newest } = await this.deps.history.since(Number.MAX_SAFE_INTEGER, 0);
    await repo.writeState('committed', String(newest));
    const commits = await this.commitBatch(repo, { setupFiles: true, who: options.who });
    return { created, commits };
  }

  /**
   * Commits what changed since the last batch: one commit per person, authored by them, with the
   * paragraphs they changed (a file several people changed is committed in versions, each with
   * one person's paragraphs); what no history entry accounts for (a hand edit, a file another tool
   * wrote) in a commit of the workbench's. Returns how many commits were made.
   */
  async commitPending(): Promise<number> {
    const repo = await this.repository();
    if (!repo) return 0;
    // One batch at a time in this process (a sync's commit included).
    const previous = this.committing ?? Promise.resolve(0);
    const run = previous.catch(() => 0).then(() => this.commitBatch(repo, {}));
    this.committing = run;
    return run;
  }

  /**
   * A batch in three steps: what to commit is taken under the project's lock (the saves written
   * behind are written first; the changed files are read, with the history up to then); the
   * commits are made without it (a book's versions take seconds, while editors go on saving);
   * the branch is moved under it again, only from the commit the batch was built on (else the
   * batch is made again at the next one). A caller holding the lock (a sync) holds it throughout.
   */
  private async commitBatch(repo: GitRepository, options: BatchOptions): Promise<number> {
    const batch = await this.deps.lock.hold(() => this.takeBatch(repo, options));
    if (!batch) return 0;
    const { head, count } = await writeCommits(repo, batch.parent, this.planCommits(repo, batch), COMMITTER);
    return this.deps.lock.hold(async () => {
      if (head) {
        const branchRef = (await repo.tryRun(['symbolic-ref', '-q', 'HEAD'])) ?? 'HEAD';
        try {
          await repo.run(['update-ref', '-m', 'workbench: commit translations', branchRef, head, batch.parent ?? '']);
        } catch {
          return 0; // the branch moved meanwhile (another process committed or merged): made again next time
        }
        // The index learns the new commit for the files committed (whatever else it holds stays).
        await repo.run(['reset', '-q', '--', ...batch.changed]).catch(() => undefined);
      }
      if (batch.newest !== undefined) await repo.writeState('committed', String(batch.newest));
      this.pendingSince = undefined;
      return count;
    });
  }

  /**
   * What a batch commits: the changed files as they are now, and who changed what since the last
   * batch (see commitBatch). `ahead`: the entries since the last batch read before, out of the
   * moment the caller holds (see entriesAhead), used when no batch was committed since.
   */
  private async takeBatch(repo: GitRepository, options: BatchOptions, ahead?: EntriesAhead): Promise<Batch | undefined> {
    await repo.refuseUnfinished();
    // Saves acknowledged and written behind: in their files before the files are read.
    await this.deps.locales.writeJournaled();
    await this.pruneDecided();
    const marker = await this.committedMarker(repo);
    const { entries, newest } = options.setupFiles ? { entries: [], newest: undefined } : await this.entriesSince(marker, ahead);
    const byPerson = new Map<string, NumberedEntry[]>();
    for (const numbered of entries) {
      if (numbered.entry.action === 'dismiss-check') continue;
      const list = byPerson.get(numbered.entry.who) ?? [];
      list.push(numbered);
      byPerson.set(numbered.entry.who, list);
    }
    const changed = await this.changedPaths(repo, options.setupFiles ?? false);
    if (changed.length === 0) {
      if (newest !== undefined) await repo.writeState('committed', String(newest));
      return undefined;
    }
    const bytes = new Map<string, Uint8Array | undefined>();
    for (const file of changed) bytes.set(file, await this.readProjectFile(file).catch(() => undefined));
    return { parent: await repo.head(), changed, bytes, byPerson, newest, options };
  }

  /** The number of the newest history entry the commits made so far credit (0: none). */
  private async committedMarker(repo: GitRepository): Promise<number> {
    return Number((await repo.readState('committed')) ?? '0') || 0;
  }

  /**
   * The history entries since the last batch, read now, while the saves go on: a sync's moment
   * alone then reads only those made since (a book's community makes ten thousand between two
   * syncs: reading them all took a twentieth of a second of the moment).
   */
  private async entriesAhead(repo: GitRepository): Promise<EntriesAhead> {
    const marker = await this.committedMarker(repo);
    return { marker, entries: (await this.deps.history.since(marker, BATCH_ENTRIES)).entries };
  }

  /**
   * The history entries after `marker`, and the newest entry's number: those of `ahead` when it was
   * read after the same marker, and the ones made since; entries are numbered in the order they
   * are made (one writer at a time), so none made before the newest of `ahead` comes after it.
   */
  private async entriesSince(marker: number, ahead: EntriesAhead | undefined): Promise<{ entries: NumberedEntry[]; newest: number }> {
    const known = ahead?.marker === marker && ahead.entries.length < BATCH_ENTRIES ? ahead.entries : [];
    const last = known.length > 0 ? known[known.length - 1].id : marker;
    const since = await this.deps.history.since(last, BATCH_ENTRIES - known.length);
    return { entries: known.length > 0 ? [...known, ...since.entries] : since.entries, newest: since.newest };
  }

  /**
   * A project file's bytes: a locale file's from its store, which holds them when it has just read
   * or written the file (a book's file is 17 MB: read again, a tenth of a second of the moment a
   * sync holds the saves waiting), any other from the disk. Rejects when the file cannot be read.
   */
  private async readProjectFile(file: string): Promise<Uint8Array> {
    return joinChunks(await this.readProjectParts(file));
  }

  /** readProjectFile, in the pieces a locale file's store holds it in (see LocaleStore.readParts), not joined. */
  private async readProjectParts(file: string): Promise<readonly Uint8Array[]> {
    const locale = /^locales\/([^/]+)\/([^/]+)\.xlf$/.exec(file);
    if (locale && isLocaleTag(locale[1]) && isDocumentId(locale[2])) {
      const parts = await this.deps.locales.readParts(locale[2], locale[1]);
      if (parts) return parts;
    }
    return [await readWholeFile(path.join(this.deps.dir, file))];
  }

  /** The project's paths with changes not committed (added, changed or deleted), relative to the folder. */
  private async changedPaths(repo: GitRepository, setupFiles: boolean): Promise<string[]> {
    const paths = [...PROJECT_PATHS.filter((p) => existsSync(path.join(this.deps.dir, p))), ...(setupFiles ? ['.gitignore', '.gitattributes'] : [])];
    if (paths.length === 0) return [];
    const out = (await repo.run(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', ...paths])).stdout;
    const changed: string[] = [];
    for (const record of out.split('\0')) {
      if (record.length < 4) continue;
      const file = record.slice(3);
      if (isProjectFile(file) || (setupFiles && (file === '.gitignore' || file === '.gitattributes'))) changed.push(file);
    }
    return changed;
  }

  /**
   * The commits of a batch: per person (oldest last change first) the files of the paragraphs
   * they changed, then whatever is left in one commit of the workbench's. When several people
   * changed one file, each person's commit holds it with their paragraphs (and those of the people
   * before them) only; the last one's holds the file as it is. Made one at a time, as they are
   * written, with the event loop free in between.
   */
  private async *planCommits(repo: GitRepository, batch: Batch): AsyncGenerator<PlannedCommit> {
    const { parent, changed, bytes, byPerson, options } = batch;
    const left = new Set(changed);
    const people = [...byPerson.entries()].sort((a, b) => a[1][a[1].length - 1].id - b[1][b[1].length - 1].id);
    // Each file's paragraphs per person.
    const unitsOf = new Map<string, Map<string, Set<string>>>();
    for (const [who, entries] of people) {
      for (const { document, lang, entry } of entries) {
        const file = `locales/${lang}/${document}.xlf`;
        const perFile = unitsOf.get(file) ?? new Map<string, Set<string>>();
        const units = perFile.get(who) ?? new Set<string>();
        units.add(entry.segment);
        perFile.set(who, units);
        unitsOf.set(file, perFile);
      }
    }
    /**
     * Per file several people changed: each person's version of it but the last one's (who
     * commits the file as it is), made on a thread of its own for a large file.
     */
    const versions = new Map<string, Map<string, Uint8Array | null>>();
    for (const [file, perPerson] of unitsOf) {
      const newer = bytes.get(file);
      if (perPerson.size < 2 || !parent || !newer || !left.has(file)) continue;
      const order = people.map(([who]) => who).filter((who) => perPerson.has(who));
      const steps = order.slice(0, -1).map((who) => [...(perPerson.get(who) ?? [])]);
      const older = await repo.showBlob(parent, file);
      const made = older ? await unitVersionsOffThread(older, newer, file, steps).catch(() => undefined) : undefined;
      versions.set(file, new Map(order.slice(0, -1).map((who, k) => [who, made?.[k] ?? null])));
    }
    for (const [who, entries] of people) {
      const files = new Set<string>();
      for (const { document, lang, entry } of entries) {
        files.add(`locales/${lang}/${document}.xlf`);
        if (VERBS[entry.action] === 'source update') for (const p of changed) if (p.startsWith(`source/${document}.`)) files.add(p);
        // A source update's archive of removed paragraphs, and the merge suggestions of the file.
        for (const suffix of ['.removed.xlf', '.conflicts.jsonl']) files.add(`locales/${lang}/${document}${suffix}`);
      }
      const changes: PlannedCommit['changes'] = [];
      for (const file of files) {
        if (!left.has(file)) continue;
        const version = versions.get(file);
        if (version?.has(who)) {
          // Others changed this file after: this person's version of it (none: committed whole with the last person's).
          const mine = version.get(who);
          if (mine) changes.push({ path: file, bytes: mine });
          continue;
        }
        changes.push({ path: file, bytes: bytes.get(file) });
        left.delete(file);
      }
      if (changes.length === 0) continue;
      const author = authorOf(who);
      yield { author: { name: author.GIT_AUTHOR_NAME, email: author.GIT_AUTHOR_EMAIL }, message: messageOf(entries), changes };
    }
    if (left.size > 0) {
      const onlyLists = [...left].every((f) => f.endsWith('.conflicts.jsonl'));
      const subject = options.subject ?? (options.setupFiles ? 'Keep the translations in git' : onlyLists ? 'Suggestions from merges decided' : 'Files changed outside the workbench');
      const body = [...left].sort().slice(0, 50).join('\n');
      const author = options.who ? authorOf(options.who) : { GIT_AUTHOR_NAME: WORKBENCH_COMMITTER.GIT_COMMITTER_NAME, GIT_AUTHOR_EMAIL: WORKBENCH_COMMITTER.GIT_COMMITTER_EMAIL };
      const changes = [...left].sort().map((file) => ({ path: file, bytes: bytes.get(file) }));
      yield { author: { name: author.GIT_AUTHOR_NAME, email: author.GIT_AUTHOR_EMAIL }, message: `${subject}\n\n${body}\n`, changes };
    }
  }

  /**
   * Sync: commit what is pending, fetch, merge (by paragraph: a paragraph both sides changed keeps
   * the later text, the other becomes a suggestion), push. One sync at a time (a button's and the
   * server's periodic one; one from the command line and a server's: the git lock, see gitLock),
   * in three parts:
   * - the commit of what is pending (the project's lock taken only for what reads the files and
   *   moves the branch, as a batch of saves is committed) and the fetch: a server's saves go on
   *   meanwhile (they do not wait for the network, nor for the commit of a book's files). An
   *   unreachable remote leaves the commit made;
   * - the merge. When what was fetched changes only paragraphs of locale files (the usual sync of
   *   a community), it is worked out from git's versions of the files on a thread of its own,
   *   saves going on, and put into the files as a batch of saves is (see mergeAhead): the saves
   *   wait only for that moment (under a second on a book, where git's merge of its files kept
   *   them waiting five). Else git merges, with the merge driver: the commit of what came
   *   meanwhile and the merge run under the project's lock held alone within this process too
   *   (see ProjectLock.holdAlone): git reads the files, and writes them in the merge, and no
   *   writer may change them meanwhile (a server's saves written behind them made the merge
   *   refuse, "your local changes would be overwritten", whenever editors were saving). The
   *   saves that come meanwhile wait for it, and go on once it is done;
   * - the suggestions the merge made, then the push, saves going on.
   */
  async sync(who: string): Promise<SyncReport> {
    const repo = await this.repository();
    if (!repo) {
      throw new WorkbenchError(409, 'git-not-set-up', `${this.deps.dir} is not kept in git by the workbench: run "workbench git init" in it (with --remote <url> to share it).`);
    }
    return this.syncs('sync', async () => {
      try {
        const report = await this.syncParts(repo, who);
        this.last = { report, at: report.at };
        this.lastSyncAt = Date.now();
        return report;
      } catch (err) {
        this.last = { error: (err as Error).message, at: new Date().toISOString() };
        throw err;
      }
    });
  }

  /** The syncs of this process, one after another (see sync). */
  private readonly syncs = keyedLock();

  private syncParts(repo: GitRepository, who: string): Promise<SyncReport> {
    return this.deps.gitLock.hold(async () => {
      const at = new Date().toISOString();
      await repo.refuseUnfinished();
      await this.refuseMarkers(repo);
      const committed = await this.commitBatch(repo, {});
      const fetched = await this.fetchHeld(repo, at);
      // No remote: the commit is the whole sync.
      const { remote } = fetched;
      if (remote === undefined) return { committed, merged: false, conflicts: 0, pushed: false, at };
      // A merge of locale files' paragraphs is worked out while the saves go on, and put into the
      // files as a batch of saves is; any other merge is git's, the saves waiting meanwhile.
      const merged = (await this.mergeAhead(repo, who, fetched)) ?? (await this.deps.lock.holdAlone(() => this.mergeAlone(repo, who, fetched)));
      const report: SyncReport = { committed: committed + merged.committed, merged: merged.merged, conflicts: merged.conflicts, pushed: false, at, remote };
      if (fetched.keptBranch) report.keptBranch = fetched.keptBranch;
      await this.deps.lock.hold(() => this.importSuggestions());
      // What was committed and merged (commits made since, by the batches of saves that came
      // meanwhile, go with the next sync).
      const pushing = merged.head ?? (await repo.head());
      if (!pushing) return report;
      await repo.run(['push', '--quiet', remote, `${pushing}:refs/heads/${fetched.branch}`], { code: 'git-push-failed', status: 502 });
      await repo.run(['update-ref', 'refs/workbench/pushed', pushing]);
      report.pushed = true;
      return report;
    });
  }

  /**
   * The driver's registration and the fetch; when the remote lost commits this workbench pushed
   * (a force push), they are kept on a branch, pushed too.
   */
  private async fetchHeld(repo: GitRepository, at: string): Promise<{ remote?: string; branch: string; theirs?: string; keptBranch?: string }> {
    // Each clone registers the driver itself (config is not shared through the remote).
    if (!(await repo.driver())) await repo.registerDriver(this.deps.cliScript);
    const remote = await repo.remote();
    const branch = (await repo.branch()) ?? 'main';
    if (!remote) return { branch };
    await repo.run(['fetch', '--quiet', remote], { code: 'git-fetch-failed', status: 502 });
    const upstream = `refs/remotes/${remote}/${branch}`;
    const theirs = await repo.tryRun(['rev-parse', '-q', '--verify', `${upstream}^{commit}`]);
    if (!theirs) return { remote, branch };
    // The remote lost commits we pushed (a force push): they are kept on a branch, pushed too.
    const pushed = await repo.tryRun(['rev-parse', '-q', '--verify', 'refs/workbench/pushed^{commit}']);
    if (pushed && (await repo.tryRun(['merge-base', '--is-ancestor', pushed, theirs])) === undefined) {
      const kept = `workbench/kept-${at.replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}`;
      await repo.run(['branch', '-f', kept, pushed]);
      await repo.run(['push', '--quiet', remote, `${kept}:refs/heads/${kept}`], { code: 'git-push-failed', status: 502 }).catch(() => undefined);
      return { remote, branch, theirs, keptBranch: kept };
    }
    return { remote, branch, theirs };
  }

  /**
   * The merge of what was fetched, worked out ahead (see planMergeAhead) while the saves go on;
   * then, under the project's lock held alone for a moment (the files read and written, no git
   * command that reads a book's file), what was saved since our commit is taken as a batch and
   * the merge's paragraphs are put into the files, merged with those saves; then the batch's
   * commits and the merge commit are written, saves going on, and the branch is moved to them.
   * Undefined when git is to merge instead (see mergeAlone): the merge is more than paragraphs
   * of locale files, or the branch moved meanwhile (another process committed), or a file's
   * source was updated meanwhile.
   */
  private async mergeAhead(repo: GitRepository, who: string, fetched: { remote?: string; branch: string; theirs?: string }): Promise<Merged | undefined> {
    const { theirs } = fetched;
    const head = await repo.head();
    if (!theirs || !head || head === theirs) return undefined;
    const plan = await planMergeAhead(repo, head, theirs);
    if (!plan) return undefined;
    // The batches of this process wait for it (its commits move the branch from our commit).
    const previous = this.committing ?? Promise.resolve(0);
    const run = previous.catch(() => 0).then(() => this.applyAhead(repo, who, fetched, plan));
    this.committing = run.then(() => 0, () => 0);
    return run;
  }

  private async applyAhead(repo: GitRepository, who: string, fetched: { remote?: string; branch: string }, plan: MergeAheadPlan): Promise<Merged | undefined> {
    // Theirs is ahead of ours: the branch moves to their commit, with what was saved since on top (as git's fast-forward).
    const forward = plan.base === plan.head;
    // The files the merge changes, read before the moment alone, while the saves go on (a server's
    // saves journaled and not yet written read with them): in it, only what was saved since is read
    // again (see rereadSpansXliff12), where a command read a book's file whole, the saves waiting.
    // A file that cannot be read now is read in the moment, which tells what is wrong with it.
    for (const file of plan.files) await this.deps.locales.readForChange(file.document, file.lang).catch(() => undefined);
    const ahead = await this.entriesAhead(repo);
    const held = await this.deps.lock.holdAlone(async () => {
      await repo.refuseUnfinished();
      if ((await repo.head()) !== plan.head || !(await mergeAheadHolds(this.deps.locales, plan.files))) return undefined;
      // What was saved since our commit, as it is before the merge's paragraphs join it.
      const batch = await this.takeBatch(repo, {}, ahead);
      const savers = new Map<string, string>();
      for (const [person, entries] of batch?.byPerson ?? []) for (const { document, lang, entry } of entries) savers.set(`${document}/${lang}/${entry.segment}`, person);
      const suggestions: MergeSuggestion[] = [];
      // The files as the merge leaves them: read once written, or (a merge's units journaled, the
      // file written behind) made from the file as it was and the units, after this moment alone.
      const after = new Map<string, Uint8Array | undefined>();
      // A file the merge wrote, in the pieces its store holds it in: joined after the moment.
      const written = new Map<string, readonly Uint8Array[]>();
      const toMake = new Map<string, { bytes: Uint8Array; units: readonly Unit[] }>();
      for (const file of plan.files) {
        const full = path.join(this.deps.dir, file.path);
        const before = batch?.bytes.get(file.path) ?? (await readWholeFile(full));
        const journal = (units: readonly Unit[]) => this.deps.history.appendJournaled(file.document, file.lang, [], units);
        const applied = await applyMergeAhead(this.deps.locales, file, (unit) => savers.get(`${file.document}/${file.lang}/${unit}`), journal);
        suggestions.push(...applied.suggestions);
        if (applied.written) written.set(file.path, await this.readProjectParts(file.path));
        else toMake.set(file.path, { bytes: before, units: applied.units });
      }
      // Their suggestion lists, merged by union as git merges them (see GIT_ATTRIBUTES).
      for (const list of plan.lists) {
        const full = path.join(this.deps.dir, list.path);
        const ours = await fs.readFile(full).catch(() => Buffer.alloc(0));
        const merged = Buffer.from(await repo.unionMerge(ours, list.base, list.theirs), 'utf8');
        if (!merged.equals(ours)) await writeFileAtomic(full, merged);
      }
      // The texts the merge did not keep: suggestions at once, whatever becomes of the commits.
      await this.keepSuggestions(suggestions);
      for (const list of plan.lists) after.set(list.path, await fs.readFile(path.join(this.deps.dir, list.path)).catch(() => undefined));
      // On a fast-forward, the files saved meanwhile too, as they are.
      if (forward) for (const file of batch?.changed ?? []) if (!after.has(file) && !written.has(file) && !toMake.has(file)) after.set(file, batch?.bytes.get(file));
      return { batch, suggestions, after, written, toMake };
    });
    if (!held) return undefined;
    const { batch, suggestions, toMake } = held;
    const after = new Map(held.after);
    for (const [file, parts] of held.written) after.set(file, joinChunks(parts));
    for (const [file, { bytes, units }] of toMake) after.set(file, await withUnitsOffThread(bytes, units, file));
    let written: { head: string | undefined; count: number };
    if (forward) {
      // On their commit: the files that differ from theirs, committed as a batch is (by the people who saved them).
      const differ: string[] = [];
      for (const [file, bytes] of after) {
        const theirs = await repo.tryRun(['rev-parse', '-q', '--verify', `${plan.theirs}:${file}`]);
        if (theirs !== (bytes && blobId(bytes, theirs))) differ.push(file);
      }
      const onTheirs: Batch = { parent: plan.theirs, changed: differ, bytes: after, byPerson: batch?.byPerson ?? new Map(), newest: batch?.newest, options: {} };
      written = differ.length > 0 ? await writeCommits(repo, plan.theirs, this.planCommits(repo, onTheirs), COMMITTER) : { head: plan.theirs, count: 0 };
    } else {
      const author = authorOf(who);
      const merge: PlannedCommit = {
        author: { name: author.GIT_AUTHOR_NAME, email: author.GIT_AUTHOR_EMAIL },
        message: `Merge the translations of ${fetched.remote}/${fetched.branch}\n`,
        changes: [...after].map(([file, bytes]) => ({ path: file, bytes })),
        merge: plan.theirs,
      };
      const made = await writeCommits(repo, plan.head, this.commitsThen(repo, batch, merge), COMMITTER);
      written = { head: made.head, count: made.count - 1 };
    }
    const moved = await this.deps.lock.hold(async () => {
      const branchRef = (await repo.tryRun(['symbolic-ref', '-q', 'HEAD'])) ?? 'HEAD';
      try {
        await repo.run(['update-ref', '-m', 'workbench: merge translations', branchRef, written.head ?? '', plan.head]);
      } catch {
        return false;
      }
      // The index learns the new commits for the files they hold (whatever else it holds stays).
      await repo.run(['reset', '-q', '--', ...new Set([...(batch?.changed ?? []), ...after.keys()])]).catch(() => undefined);
      if (batch?.newest !== undefined) await repo.writeState('committed', String(batch.newest));
      this.pendingSince = undefined;
      return true;
    });
    if (!moved) return undefined;
    let committed = written.count;
    if (suggestions.length > 0) committed += await this.commitBatch(repo, { who, subject: keptSubject(suggestions.length) });
    return { committed, merged: true, conflicts: suggestions.length, head: await repo.head() };
  }

  /** A batch's commits (none without one), then `last`. */
  private async *commitsThen(repo: GitRepository, batch: Batch | undefined, last: PlannedCommit): AsyncGenerator<PlannedCommit> {
    if (batch) yield* this.planCommits(repo, batch);
    yield last;
  }

  /** What came since the first commit committed, then what was fetched merged (see sync): the branch's head after them. */
  private async mergeAlone(repo: GitRepository, who: string, fetched: { remote?: string; branch: string; theirs?: string }): Promise<Merged> {
    // Looked at again: a hand-made merge may have begun since the fetch.
    await repo.refuseUnfinished();
    // What was saved since the first commit (the files are written first, see takeBatch).
    let committed = await this.commitBatch(repo, {});
    let merged = false;
    let conflicts = 0;
    const { theirs } = fetched;
    const head = await repo.head();
    if (theirs && head !== theirs && (await repo.tryRun(['merge-base', '--is-ancestor', theirs, head ?? theirs])) === undefined) {
      await fs.rm(repo.statePath(MERGE_RECORD), { force: true });
      try {
        // The merge commit is the syncing person's (the workbench's for a periodic sync).
        await repo.run(['merge', '--no-edit', '-m', `Merge the translations of ${fetched.remote}/${fetched.branch}`, theirs], { env: { ...WORKBENCH_COMMITTER, ...authorOf(who) }, code: 'git-merge-failed', status: 409 });
      } catch (err) {
        await repo.run(['merge', '--abort']).catch(() => undefined);
        throw err;
      }
      merged = true;
      conflicts = await this.keepMergeSuggestions(repo);
      if (conflicts > 0) committed += await this.commitBatch(repo, { who, subject: keptSubject(conflicts) });
    }
    return { committed, merged, conflicts, head: await repo.head() };
  }

  /** Refuses a locale file holding a conflict marker (a merge made without the driver), naming it and the line. */
  private async refuseMarkers(repo: GitRepository): Promise<void> {
    const files = ((await repo.tryRun(['ls-files', '-z', '--', 'locales'])) ?? '').split('\0').filter((f) => f.endsWith('.xlf'));
    for (const file of files) {
      const bytes = await fs.readFile(path.join(this.deps.dir, file)).catch(() => Buffer.alloc(0));
      refuseConflictMarkers(bytes, file);
    }
  }

  /** The texts the merge driver did not keep, added to the suggestion lists (`<doc>.conflicts.jsonl`) of their files. */
  private async keepMergeSuggestions(repo: GitRepository): Promise<number> {
    const record = await repo.readState(MERGE_RECORD);
    if (!record) return 0;
    const suggestions = record.split('\n').map(parseSuggestion).filter((s): s is MergeSuggestion => s !== undefined);
    const count = await this.keepSuggestions(suggestions);
    await fs.rm(repo.statePath(MERGE_RECORD), { force: true });
    return count;
  }

  /** Merge suggestions added to the suggestion lists of their files; resolves with how many. */
  private async keepSuggestions(suggestions: readonly MergeSuggestion[]): Promise<number> {
    const byFile = new Map<string, MergeSuggestion[]>();
    for (const s of suggestions) {
      const file = MergeSuggestionLists.fileOf(s.document, s.lang);
      byFile.set(file, [...(byFile.get(file) ?? []), s]);
    }
    for (const [file, list] of byFile) await this.lists.append(file, list);
    return suggestions.length;
  }

  /**
   * Every merge suggestion of the project's suggestion lists becomes a suggestion of its paragraph
   * (once); a merge suggestion no list holds any more was decided in another clone (its decision
   * and text came through git): it is closed here too.
   */
  async importSuggestions(): Promise<void> {
    const listed = await this.listedSuggestions();
    const ids = new Set(listed.map((s) => s.id));
    for (const s of listed) {
      if (await this.deps.discussions.suggestion(s.document, s.lang, s.id)) continue;
      const suggestion: Suggestion = { id: s.id, segment: s.unit, author: s.author, text: s.text, createdAt: s.at, status: 'open' };
      await this.deps.discussions.addSuggestion(s.document, s.lang, suggestion);
    }
    const localesDir = path.join(this.deps.dir, 'locales');
    for (const lang of await fs.readdir(localesDir).catch(() => [] as string[])) {
      for (const name of await fs.readdir(path.join(localesDir, lang)).catch(() => [] as string[])) {
        if (!name.endsWith('.xlf') || name.endsWith('.removed.xlf')) continue;
        const document = name.slice(0, -'.xlf'.length);
        const { suggestions } = await this.deps.discussions.read(document, lang);
        for (const s of suggestions) {
          if (s.status === 'open' && isMergeSuggestionId(s.id) && !ids.has(s.id)) {
            await this.deps.discussions.decideSuggestion(document, lang, s.id, { status: 'declined', decidedBy: 'git', decidedAt: new Date().toISOString() });
          }
        }
      }
    }
  }

  /** The merge suggestions listed in the project's files (decided or not). */
  private async listedSuggestions(): Promise<MergeSuggestion[]> {
    return [...(await this.lists.all()).values()].flat();
  }

  /** The merge suggestions still open: the Conflicts page. */
  async openConflicts(): Promise<(MergeSuggestion & { status: string })[]> {
    const out: (MergeSuggestion & { status: string })[] = [];
    for (const s of await this.listedSuggestions()) {
      const recorded = await this.deps.discussions.suggestion(s.document, s.lang, s.id);
      const status = recorded?.status ?? 'open';
      if (status === 'open') out.push({ ...s, status });
    }
    return out;
  }

  /** Takes decided suggestions out of the suggestion lists (the decision is in the history; the next commit carries it). */
  private async pruneDecided(): Promise<void> {
    for (const [file, listed] of await this.lists.all()) {
      const open: MergeSuggestion[] = [];
      for (const s of listed) {
        const recorded = await this.deps.discussions.suggestion(s.document, s.lang, s.id);
        if (!recorded || recorded.status === 'open') open.push(s);
      }
      if (open.length !== listed.length) await this.lists.keep(file, open);
    }
  }

  /** Commits batches as saves pause (and syncs periodically when configured); `stop` commits what is left. */
  start(): void {
    const { commitDelayMs, maxDelayMs, syncEveryMs } = this.deps.settings;
    const tick = Math.max(50, Math.min(1000, commitDelayMs / 2));
    this.timer = setInterval(() => void this.tick(commitDelayMs, maxDelayMs, syncEveryMs).catch((err: unknown) => console.error(`git: ${(err as Error).message}`)), tick);
    this.timer.unref();
  }

  private busy = false;

  private async tick(commitDelayMs: number, maxDelayMs: number, syncEveryMs: number | undefined): Promise<void> {
    if (this.busy || !(await this.repository())) return;
    this.busy = true;
    try {
      const repo = await this.repository();
      const marker = Number((await repo?.readState('committed')) ?? '0') || 0;
      const { newest } = await this.deps.history.since(Number.MAX_SAFE_INTEGER, 0);
      const now = Date.now();
      if (newest !== this.lastNewest) {
        this.lastNewest = newest;
        this.lastChangeAt = now;
      }
      if (newest > marker) {
        this.pendingSince ??= now;
        if (now - this.lastChangeAt >= commitDelayMs || now - this.pendingSince >= maxDelayMs) await this.commitPending();
      }
      if (syncEveryMs !== undefined && now - this.lastSyncAt >= syncEveryMs) {
        this.lastSyncAt = now;
        await this.sync('workbench').catch((err: unknown) => console.error(`git sync: ${(err as Error).message}`));
      }
    } finally {
      this.busy = false;
    }
  }

  /** Stops the timers and commits what is pending (a clean shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (await this.repository()) await this.commitPending();
  }
}

/** The paths of a project git carries: sources with their sidecars, locale files, their archives and suggestion lists. */
function isProjectFile(file: string): boolean {
  if (/(^|\/)\.|\.tmp/.test(file)) return false;
  if (file.startsWith('source/')) return true;
  return /^locales\/[^/]+\/[^/]+(\.xlf|\.conflicts\.jsonl)$/.test(file);
}

/** Adds the lines `.gitignore`/`.gitattributes` lack (a user's own lines stay). */
async function appendLines(file: string, lines: readonly string[]): Promise<void> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const have = new Set(text.split('\n').map((l) => l.trim()));
  const missing = lines.filter((l) => !have.has(l));
  if (missing.length === 0) return;
  await fs.writeFile(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${missing.join('\n')}\n`);
}
