import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AlignOptions } from '../domain/alignVersions';
import { WorkbenchError } from '../errors';
import type { MachineProviderConfig } from '../formats/machine/machineProvider';

/** Settings of a project, from `workbench.config.json` in its folder (all optional). */
export interface ProjectConfig {
  /** Which changes count as minor edits when a source is updated (all true by default). */
  minorEdits?: { whitespace?: boolean; quotes?: boolean; dashes?: boolean; hyphenation?: boolean; ellipsis?: boolean };
  /** Least word similarity (0..1) for an edited paragraph to keep its id; default 0.5. */
  similarity?: number;
  /** A private project: reading needs a login too (by default anyone may read). */
  private?: boolean;
  /** Reviewers may approve their own translations (off by default: a second pair of eyes). */
  allowSelfApproval?: boolean;
  /**
   * A save's translation goes to the other paragraphs of the language with the same source text
   * that have none: "ask" (default: the editor offers it) or "auto" (done with every save).
   */
  propagate?: 'ask' | 'auto';
  /** An edition is complete only when every paragraph is approved (true by default; false for projects without review). */
  requireApproval?: boolean;
  /**
   * Which proxy to believe about the client's address and protocol (X-Forwarded-For/-Proto), as
   * Express's "trust proxy" takes it: false (default: none), true, a hop count, or addresses and
   * names such as "loopback" or "10.0.0.2".
   */
  trustProxy?: boolean | number | string;
  /** Machine translation providers (none: no machine suggestions), asked in this order. */
  machineTranslation?: { providers: MachineProviderConfig[]; timeoutMs?: number };
  /**
   * A project kept in git (see TranslationsInGit), in seconds: a batch is committed once saves
   * pause for `commitDelay` (30) and at most `maxDelay` (300) after its first save; the remote is
   * synced every `syncEvery` seconds (never by default).
   */
  git?: { commitDelay?: number; maxDelay?: number; syncEvery?: number };
}

const MINOR_KEYS = ['whitespace', 'quotes', 'dashes', 'hyphenation', 'ellipsis'];

/** Reads and checks the project's configuration; a missing file means the defaults, a wrong one a clear error at start. */
export function readProjectConfig(dataDir: string): ProjectConfig {
  const file = path.join(dataDir, 'workbench.config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Cannot read ${file}`, { cause: err });
  }
  let config: ProjectConfig;
  try {
    config = JSON.parse(text) as ProjectConfig;
  } catch (cause) {
    throw new WorkbenchError(500, 'config-invalid', `workbench.config.json is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const minor = config.minorEdits ?? {};
  for (const [key, value] of Object.entries(minor)) {
    if (!MINOR_KEYS.includes(key) || typeof value !== 'boolean') {
      throw new WorkbenchError(500, 'config-invalid', `workbench.config.json: minorEdits.${key} is not a setting (use ${MINOR_KEYS.join(', ')}: true or false).`);
    }
  }
  if (config.similarity !== undefined && (typeof config.similarity !== 'number' || config.similarity <= 0 || config.similarity > 1)) {
    throw new WorkbenchError(500, 'config-invalid', 'workbench.config.json: similarity must be a number above 0 and at most 1.');
  }
  if (config.allowSelfApproval !== undefined && typeof config.allowSelfApproval !== 'boolean') {
    throw new WorkbenchError(500, 'config-invalid', 'workbench.config.json: allowSelfApproval must be true or false.');
  }
  if (config.propagate !== undefined && config.propagate !== 'ask' && config.propagate !== 'auto') {
    throw new WorkbenchError(500, 'config-invalid', 'workbench.config.json: propagate must be "ask" or "auto".');
  }
  if (config.requireApproval !== undefined && typeof config.requireApproval !== 'boolean') {
    throw new WorkbenchError(500, 'config-invalid', 'workbench.config.json: requireApproval must be true or false.');
  }
  const proxy = config.trustProxy;
  if (proxy !== undefined && typeof proxy !== 'boolean' && !(typeof proxy === 'number' && Number.isInteger(proxy) && proxy >= 0) && !(typeof proxy === 'string' && proxy.trim() !== '')) {
    throw new WorkbenchError(500, 'config-invalid', 'workbench.config.json: trustProxy must be true, false, a number of hops, or the proxy\'s addresses (such as "loopback").');
  }
  checkMachineTranslation(config.machineTranslation);
  checkGit(config.git);
  if (config.private !== undefined && typeof config.private !== 'boolean') {
    throw new WorkbenchError(500, 'config-invalid', 'workbench.config.json: private must be true or false.');
  }
  return config;
}

/** The alignment options a configuration asks for. */
export function alignOptionsOf(config: ProjectConfig): AlignOptions {
  return { minorEdits: config.minorEdits, similarity: config.similarity };
}

/** The machine translation settings, checked at start: a provider of a known type, with what it needs. */
function checkMachineTranslation(mt: ProjectConfig['machineTranslation']): void {
  if (mt === undefined) return;
  const bad = (message: string): never => {
    throw new WorkbenchError(500, 'config-invalid', `workbench.config.json: machineTranslation${message}`);
  };
  if (!mt || typeof mt !== 'object' || !Array.isArray(mt.providers)) bad(' must be {"providers": [...]}.');
  if (mt.timeoutMs !== undefined && (!Number.isInteger(mt.timeoutMs) || mt.timeoutMs < 100 || mt.timeoutMs > 60_000)) bad('.timeoutMs must be a whole number of milliseconds from 100 to 60000.');
  mt.providers.forEach((p, i) => {
    const where = `.providers[${i}]`;
    if (!p || typeof p !== 'object' || !['libretranslate', 'deepl', 'openai'].includes(p.type)) bad(`${where}.type must be "libretranslate", "deepl" or "openai".`);
    for (const key of ['label', 'url', 'apiKey', 'apiKeyEnv', 'model'] as const) {
      if (p[key] !== undefined && (typeof p[key] !== 'string' || p[key] === '')) bad(`${where}.${key} must be a non-empty string.`);
    }
    if (p.url !== undefined && !/^https?:\/\/[^\s/]+/.test(p.url)) bad(`${where}.url must be an http:// or https:// address.`);
    if (p.type !== 'deepl' && p.url === undefined) bad(`${where}.url is needed for ${p.type}.`);
    if (p.type === 'openai' && p.model === undefined) bad(`${where}.model is needed for an OpenAI-compatible endpoint.`);
    if (p.type === 'deepl' && p.apiKey === undefined && p.apiKeyEnv === undefined) bad(`${where} needs apiKey or apiKeyEnv (DeepL needs a key).`);
  });
}

/** The `git` settings: each a number of seconds above 0 (a day at most). */
function checkGit(git: ProjectConfig['git']): void {
  if (git === undefined) return;
  if (typeof git !== 'object' || git === null || Array.isArray(git)) throw new WorkbenchError(500, 'config-invalid', 'workbench.config.json: git must be an object, such as {"commitDelay": 30, "maxDelay": 300}.');
  for (const [key, value] of Object.entries(git)) {
    if (!['commitDelay', 'maxDelay', 'syncEvery'].includes(key)) throw new WorkbenchError(500, 'config-invalid', `workbench.config.json: git.${key} is not a setting (use commitDelay, maxDelay, syncEvery).`);
    if (typeof value !== 'number' || !(value > 0) || value > 86_400) throw new WorkbenchError(500, 'config-invalid', `workbench.config.json: git.${key} must be a number of seconds above 0 and at most 86400.`);
  }
}
