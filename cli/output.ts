/** What the `doos` commands share: calling the API, printing tables, and the error that means wrong usage. */
import { bearerToken } from './session';

export class UsageError extends Error {}

/** The API's base URL: DOOS_API_URL, or the configured API port on this machine. */
export type ApiBase = string;

/** `[#######-----]  42 %`: a text progress bar of `done` out of `total`. */
export function progressBar(done: number, total: number, width = 30): string {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)} %`;
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Calls the API as the logged-in user (cli/session.ts); a non-2xx answer becomes an error carrying its status, code
 * and message.
 */
export async function api(base: ApiBase, method: string, path: string, body?: unknown): Promise<unknown> {
  const authorization = `Bearer ${await bearerToken(base)}`;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await res.json().catch(() => ({}))) as { code?: number; message?: string };
  if (!res.ok) throw new Error(`${res.status} ${answer.code ?? ''} ${answer.message ?? ''}`.trim());
  return answer;
}
