/** An API error as a person should read it: the documented code, the HTTP status and what to do about it. */
import type { MessageKey } from '../i18n/messages';
import type { Translate } from '../i18n/language';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** Seconds to wait before trying again (429's Retry-After). */
    readonly retryAfter?: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Codes with a message of their own in every language (i18n/messages.ts `error.<code>`). */
const OWN_MESSAGE = new Set([
  10001, 10003, 20001, 20002, 20003, 20004, 20005, 20006, 20007, 30001, 30002, 30003, 50001,
]);

/**
 * What the person sees for an error, in their language: 401 asks to log in again, 403 says a role is needed, 429
 * when to retry, 503 that the order is being confirmed (in the ops console: the API's own words, which name the
 * dependency that is away); a known code its own message; anything else the API's.
 */
export function describeError(err: unknown, t: Translate, where: 'shop' | 'ops' = 'shop'): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  if (err.status === 401) return t('error.401');
  if (err.status === 403) return t('error.403', { message: err.message });
  if (err.status === 429) return t('error.429', { seconds: err.retryAfter ?? 1 });
  if (err.status === 503 && where === 'shop') return t('error.503');
  if (OWN_MESSAGE.has(err.code)) return t(`error.${err.code}` as MessageKey, { message: err.message });
  return t('error.other', { message: err.message, code: err.code });
}
