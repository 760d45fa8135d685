/**
 * Calls to the DOOS API of this origin: JSON in and out, the signed-in user's bearer token, one silent refresh when
 * the access token has expired (the refresh token rotates; a failed refresh signs out), and errors as ApiError with
 * the API's code and message.
 */
import { ApiError } from './errors';
import { useSession } from '../stores/session';

interface ErrorBody {
  code?: number;
  message?: string;
  details?: unknown;
}

async function send(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for new tokens once, however many calls found the access token expired at once. */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = useSession.getState().session;
    if (!session) return false;
    const res = await send('POST', '/v1/auth/refresh', { refreshToken: session.refreshToken }, {});
    if (!res.ok) {
      useSession.getState().signOut();
      return false;
    }
    const tokens = (await res.json()) as { accessToken: string; refreshToken: string };
    useSession.getState().rotate(tokens.accessToken, tokens.refreshToken);
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** A GET with the session's token (refreshed once if it expired), for what is not JSON: an event stream. */
export async function authorizedFetch(path: string, signal: AbortSignal): Promise<Response> {
  const go = () => {
    const token = useSession.getState().session?.accessToken;
    return fetch(path, { signal, headers: token ? { authorization: `Bearer ${token}` } : {} });
  };
  let res = await go();
  if (res.status === 401 && useSession.getState().session && (await refresh())) res = await go();
  return res;
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const authorized = () => {
    const token = useSession.getState().session?.accessToken;
    return token ? { ...headers, authorization: `Bearer ${token}` } : headers;
  };
  let res = await send(method, path, body, authorized());
  if (res.status === 401 && useSession.getState().session && (await refresh())) {
    res = await send(method, path, body, authorized());
  }
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const e = (parsed ?? {}) as ErrorBody;
    const retryAfter = Number(res.headers.get('retry-after') ?? '') || undefined;
    if (res.status === 401) useSession.getState().signOut();
    throw new ApiError(res.status, e.code ?? 0, e.message ?? res.statusText, retryAfter, e.details);
  }
  return parsed as T;
}
