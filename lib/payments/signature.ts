/**
 * Signed payment callbacks: the provider sends `Doos-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * `<t>.<raw body>` with the secret both sides hold (payments.callbackSecret). The receiver recomputes it over the
 * bytes it received — never over re-serialised JSON — compares in constant time, and refuses a timestamp outside
 * payments.toleranceSeconds of its clock, so a callback captured once cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'doos-signature';

function hmac(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The header value for `rawBody` signed at `timestamp` (seconds). */
export function signCallback(secret: string, rawBody: Buffer | string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, rawBody)}`;
}

export type SignatureVerdict = 'valid' | 'missing' | 'malformed' | 'stale' | 'forged';

/** Whether `header` signs `rawBody` with `secret`, at a time within `toleranceSeconds` of `nowSeconds`. */
export function verifyCallback(
  secret: string,
  header: string | undefined,
  rawBody: Buffer | undefined,
  nowSeconds: number,
  toleranceSeconds: number,
): SignatureVerdict {
  if (!header || !rawBody) return 'missing';
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = parts.get('t') ?? '';
  const v1 = parts.get('v1') ?? '';
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/.test(v1)) return 'malformed';
  const timestamp = Number(t);
  const expected = Buffer.from(hmac(secret, timestamp, rawBody), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) return 'forged';
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'stale';
  return 'valid';
}
