/**
 * The bytes of a request body as they arrived, kept for the routes that verify a signature over them (a payment
 * provider's callback): re-serialised JSON is not what was signed. Kept for those paths only.
 */
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';

const SIGNED_PATHS = ['/v1/payments/callback'];

/** express.json's `verify` hook: remembers the raw body of a signed path. */
export function keepSignedBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (SIGNED_PATHS.includes(path)) (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf;
}

export function rawBodyOf(req: Request): Buffer | undefined {
  return (req as Request & { rawBody?: Buffer }).rawBody;
}
