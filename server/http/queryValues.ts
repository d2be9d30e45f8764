import { WorkbenchError } from '../errors';

/** A whole-number query parameter, or undefined when absent; 400 when it is anything else. */
export function queryInt(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) {
    throw new WorkbenchError(400, `invalid-${name}`, `${name} must be a whole number.`);
  }
  return Number(value);
}

/** A single-valued string query parameter, or undefined when absent; 400 when repeated. */
export function queryString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new WorkbenchError(400, `invalid-${name}`, `${name} must be given once.`);
  return value;
}

/** A yes/no query parameter: true for "1" or "true", false for anything else or nothing. */
export function queryFlag(value: unknown): boolean {
  return value === '1' || value === 'true';
}
