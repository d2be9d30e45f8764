import { WorkbenchError } from '../errors';
import { canonicalLocale } from '../domain/localeTag';
import type { Role } from './types';

const EXAMPLE = 'such as "translator:es,reviewer:fr" or "admin"';

function invalid(message: string): WorkbenchError {
  return new WorkbenchError(400, 'invalid-role', message);
}

/**
 * Parses a role list such as `translator:es, reviewer:fr, admin` (whitespace around commas and
 * colons is ignored, kinds are case-insensitive). Every locale goes through canonicalLocale, so a
 * role can never name a path. Duplicates are dropped. Throws 400 naming the bad part.
 */
export function parseRoles(input: unknown): Role[] {
  if (typeof input !== 'string' || input.trim() === '') throw invalid(`Give at least one role, ${EXAMPLE}.`);
  const roles: Role[] = [];
  for (const rawPart of input.split(',')) {
    const part = rawPart.trim();
    if (part === '') throw invalid(`"${input.trim()}" has an empty role between commas; give roles ${EXAMPLE}.`);
    roles.push(parseRole(part));
  }
  return dedupe(roles);
}

function parseRole(part: string): Role {
  const colon = part.indexOf(':');
  const kind = (colon < 0 ? part : part.slice(0, colon)).trim().toLowerCase();
  const locale = colon < 0 ? undefined : part.slice(colon + 1).trim();
  if (kind === 'admin') {
    if (locale !== undefined) throw invalid(`Role "${part}": admin takes no language (write just "admin").`);
    return { kind: 'admin' };
  }
  if (kind !== 'translator' && kind !== 'reviewer') {
    throw invalid(`Role "${part}": "${kind.slice(0, 40)}" is not a role; use admin, translator:<language> or reviewer:<language>.`);
  }
  if (!locale) throw invalid(`Role "${part}": ${kind} needs a language, such as "${kind}:es".`);
  return { kind, locale: roleLocale(part, locale) };
}

function roleLocale(part: string, locale: string): string {
  try {
    return canonicalLocale(locale);
  } catch (err) {
    throw invalid(`Role "${part}": ${(err as Error).message}`);
  }
}

/**
 * Checks role objects (from code or from the accounts file): known kinds, canonical locales, no
 * duplicates, at least one. Returns fresh canonical copies; throws 400 naming the bad role.
 */
export function normalizeRoles(input: unknown): Role[] {
  if (!Array.isArray(input) || input.length === 0) throw invalid(`Give at least one role, ${EXAMPLE}.`);
  const roles = input.map((role: unknown): Role => {
    const r = role as { kind?: unknown; locale?: unknown } | null;
    if (r && typeof r === 'object' && r.kind === 'admin' && r.locale === undefined) return { kind: 'admin' };
    if (r && typeof r === 'object' && (r.kind === 'translator' || r.kind === 'reviewer') && typeof r.locale === 'string') {
      return { kind: r.kind, locale: roleLocale(`${r.kind}:${r.locale}`, r.locale) };
    }
    throw invalid(`${JSON.stringify(role)?.slice(0, 80)} is not a role; use admin, translator:<language> or reviewer:<language>.`);
  });
  return dedupe(roles);
}

function dedupe(roles: Role[]): Role[] {
  const seen = new Set<string>();
  return roles.filter((role) => {
    const key = formatRole(role);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function formatRole(role: Role): string {
  return role.kind === 'admin' ? 'admin' : `${role.kind}:${role.locale}`;
}

/** `translator:es, reviewer:fr, admin`: for display, and parseRoles reads it back. */
export function formatRoles(roles: readonly Role[]): string {
  return roles.map(formatRole).join(', ');
}
