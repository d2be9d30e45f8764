import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { WorkbenchError } from '../errors';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024;

/** scrypt cost: N = 2^15, r = 8, p = 1 (about 100 ms and 32 MiB per hash). Not lowered for tests. */
const N = 2 ** 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 64;

// Bounds for parameters read back from a stored hash: generous for future cost increases, but a
// hand-edited hash cannot make a login allocate gigabytes or spin for minutes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** Memory OpenSSL needs for scrypt (128·r·(N + p + 2) bytes) plus slack: Node's default 32 MiB is just too little for N = 2^15, r = 8. */
function maxmemFor(n: number, r: number, p: number): number {
  return 128 * r * (n + p + 2) + 1024 * 1024;
}

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Passwords are compared as NFC, so the same password typed on systems that compose differently still matches. */
function normalized(password: string): string {
  return password.normalize('NFC');
}

/** Returns `password` when it meets the rules (10 to 1024 characters), else throws 400. */
export function checkPasswordRules(password: unknown): string {
  if (typeof password !== 'string') throw new WorkbenchError(400, 'invalid-password', 'Give a password.');
  const length = [...normalized(password)].length;
  if (length < PASSWORD_MIN) throw new WorkbenchError(400, 'password-too-short', `A password needs at least ${PASSWORD_MIN} characters (this one has ${length}).`, { params: { min: PASSWORD_MIN, length } });
  if (length > PASSWORD_MAX) throw new WorkbenchError(400, 'password-too-long', `A password may have at most ${PASSWORD_MAX} characters (this one has ${length}).`, { params: { max: PASSWORD_MAX, length } });
  return password;
}

/** Hashes a password with scrypt: `scrypt$N$r$p$<salt base64>$<key base64>`. Checks the rules first. */
export async function hashPassword(password: string): Promise<string> {
  checkPasswordRules(password);
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(normalized(password), salt, KEY_BYTES, { N, r: R, p: P, maxmem: maxmemFor(N, R, P) });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function parseHash(encoded: string): { n: number; r: number; p: number; salt: Buffer; key: Buffer } | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [n, r, p] = parts.slice(1, 4).map((s) => (/^[1-9]\d{0,7}$/.test(s) ? Number(s) : NaN));
  if (!(n > 1 && n <= MAX_N && (n & (n - 1)) === 0) || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) return undefined;
  if (!BASE64.test(parts[4]) || !BASE64.test(parts[5])) return undefined;
  const salt = Buffer.from(parts[4], 'base64');
  const key = Buffer.from(parts[5], 'base64');
  if (salt.length < 8 || salt.length > 64 || key.length < 16 || key.length > 128) return undefined;
  return { n, r, p, salt, key };
}

/**
 * True when `password` matches `encoded` (a hashPassword result). Never throws: a malformed or
 * unsupported hash, or a password that is not a string or is over the length limit, is false.
 * The comparison is constant-time.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  try {
    if (typeof password !== 'string' || typeof encoded !== 'string' || password.length > 4 * PASSWORD_MAX) return false;
    if ([...normalized(password)].length > PASSWORD_MAX) return false;
    const parsed = parseHash(encoded);
    if (!parsed) return false;
    const { n, r, p, salt, key } = parsed;
    const actual = await scryptAsync(normalized(password), salt, key.length, { N: n, r, p, maxmem: maxmemFor(n, r, p) });
    return timingSafeEqual(actual, key);
  } catch {
    return false;
  }
}

// No 0/O, 1/l/I: the password is read out or copied by people. 57 symbols × 20 ≈ 116 bits.
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password (crypto.randomInt: uniform, no modulo bias) to hand to a new user. */
export function generatePassword(length = 20): string {
  let password = '';
  for (let i = 0; i < length; i++) password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return password;
}
