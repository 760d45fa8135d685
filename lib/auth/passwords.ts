/**
 * Password hashes with scrypt (memory-hard, in node:crypto): `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`, salt and hash
 * in base64. The cost is in each hash, so raising auth.passwordCostLog2 applies to new hashes while old ones verify.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem above 128 × N × r, which scrypt needs, so any cost up to the schema's maximum runs.
    const maxmem = 256 * (options.N ?? 0) * (options.r ?? BLOCK_SIZE);
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, costLog2: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N: 2 ** costLog2, r: BLOCK_SIZE, p: PARALLELISM });
  return ['scrypt', costLog2, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether the password matches the hash (constant time in the hash's length); false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, costLog2, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !costLog2 || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), {
    N: 2 ** Number(costLog2),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let decoy: Promise<string> | undefined;

/**
 * Spends what verifying a real hash costs, for a login of an unknown username: the answer's time does not tell
 * which usernames exist.
 */
export async function verifyNothing(password: string, costLog2: number): Promise<false> {
  decoy ??= hashPassword('decoy password', costLog2);
  await verifyPassword(password, await decoy);
  return false;
}
