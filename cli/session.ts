/**
 * Who the `doos` commands act as: the token in DOOS_TOKEN, else the session `doos login` saved (DOOS_SESSION_FILE,
 * default ~/.config/doos/session.json, readable by its owner only), refreshed with its refresh token when the access
 * token has expired. Every command calls the API as that user; the API decides what their role may do.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

interface SavedSession {
  baseUrl: string;
  username: string;
  role: string;
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt: number;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { userId: string; role: string };
}

export function sessionFile(): string {
  return process.env.DOOS_SESSION_FILE ?? path.join(homedir(), '.config', 'doos', 'session.json');
}

function save(session: SavedSession): void {
  const file = sessionFile();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(session, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
}

function load(): SavedSession | undefined {
  try {
    return JSON.parse(readFileSync(sessionFile(), 'utf8')) as SavedSession;
  } catch {
    return undefined;
  }
}

async function post(base: string, route: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

function remember(base: string, username: string, tokens: Tokens): SavedSession {
  const session = {
    baseUrl: base,
    username,
    role: tokens.user.role,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    // A minute early, so a token is not sent in its last seconds.
    expiresAt: Date.now() + (tokens.expiresIn - 60) * 1000,
  };
  save(session);
  return session;
}

/** The bearer token for `base`, or an error telling how to get one. */
export async function bearerToken(base: string): Promise<string> {
  if (process.env.DOOS_TOKEN) return process.env.DOOS_TOKEN;
  const session = load();
  if (!session || session.baseUrl !== base) {
    throw new Error(`not logged in to ${base}: run \`doos login <username>\` or set DOOS_TOKEN`);
  }
  if (Date.now() < session.expiresAt) return session.accessToken;
  const refreshed = await post(base, '/v1/auth/refresh', { refreshToken: session.refreshToken });
  if (refreshed.status !== 200) {
    throw new Error(`the saved session has ended (${refreshed.status}); run \`doos login ${session.username}\` again`);
  }
  return remember(base, session.username, refreshed.body as Tokens).accessToken;
}

/** Reads the password: DOOS_PASSWORD, else one line of standard input (not echoed on a terminal). */
async function readPassword(): Promise<string> {
  if (process.env.DOOS_PASSWORD) return process.env.DOOS_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    process.stdout.write('password: ');
    // Echo nothing of what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  }
  const line = await new Promise<string>((resolve) => rl.once('line', resolve));
  rl.close();
  if (process.stdin.isTTY) process.stdout.write('\n');
  return line;
}

export async function login(base: string, username: string): Promise<SavedSession> {
  const password = await readPassword();
  const res = await post(base, '/v1/auth/login', { username, password });
  if (res.status !== 200) {
    const { code, message } = res.body as { code?: number; message?: string };
    throw new Error(`${res.status} ${code ?? ''} ${message ?? ''}`.trim());
  }
  return remember(base, username, res.body as Tokens);
}

/** Ends the saved session at the API and forgets it. */
export async function logout(base: string): Promise<void> {
  const token = await bearerToken(base).catch(() => undefined);
  if (token) {
    await fetch(`${base}/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  }
  rmSync(sessionFile(), { force: true });
}
