import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The strict OASIS XLIFF 1.2 schema (its xml.xsd import points at the local copy: no network). */
export const XLIFF12_STRICT_SCHEMA = resolve(__dirname, '..', 'fixtures', 'schemas', 'xliff-core-1.2-strict.xsd');
/** The OASIS XLIFF 2.0 core schema (its xml.xsd import points at the local copy too). */
export const XLIFF20_SCHEMA = resolve(__dirname, '..', 'fixtures', 'schemas', 'xliff-core-2.0.xsd');

const MISSING =
  'xmllint was not found on PATH. The XLIFF schema tests need it: install libxml2-utils (e.g. `sudo apt-get install libxml2-utils`).';

/** True when the xmllint binary can be run. */
export function xmllintAvailable(): boolean {
  const result = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  return !result.error;
}

/** Throws a clear error when xmllint is missing (tests must fail, not skip). */
export function requireXmllint(): void {
  if (!xmllintAvailable()) throw new Error(MISSING);
}

/** Validates the file at `path` against the strict XLIFF 1.2 schema, offline. */
export function validateXliff12(path: string): { valid: boolean; output: string } {
  const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', XLIFF12_STRICT_SCHEMA, path], { encoding: 'utf8' });
  if (result.error) throw new Error(MISSING, { cause: result.error });
  return { valid: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/** Validates the file at `path` against the XLIFF 2.0 core schema, offline. */
export function validateXliff20(path: string): { valid: boolean; output: string } {
  const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', XLIFF20_SCHEMA, path], { encoding: 'utf8' });
  if (result.error) throw new Error(MISSING, { cause: result.error });
  return { valid: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}
