/**
 * Accounts for the API: register, log in, refresh (rotating the refresh token; a reused one ends the session), log
 * out, and authenticate a request's bearer token. A token's signature and expiry are checked on every request; its
 * session (logged out? revoked by a reused refresh token?) and the user's role now are read from the accounts
 * database at most every auth.sessionCheckSeconds per process — at once in the process that ended the session.
 *
 * While the accounts database does not answer, signed-in requests go on (orders must not stop with it): a session is
 * judged by what was last read of it, or — never read by this process — by its token's own claims, until the token
 * expires. A session ended during the outage is therefore honoured until the database answers again or its access
 * token expires (at most auth.accessTokenSeconds); each such request is counted in
 * `auth_session_check_unavailable_total`. Logging in, registering and refreshing answer 503 meanwhile.
 */
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../../lib/config';
import { unavailableDependency } from '../../lib/errors/unavailable';
import { AccountStore, UsernameTaken, type SessionState } from '../../lib/accounts/account-store';
import { LoginThrottle } from '../../lib/auth/login-throttle';
import { hashPassword, verifyNothing, verifyPassword } from '../../lib/auth/passwords';
import type { Principal, Role } from '../../lib/auth/roles';
import { AccessTokens, TokenRefused, type AccessClaims } from '../../lib/auth/tokens';
import { AppError } from '../../lib/errors';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { userId: string; role: Role };
}

/** Sessions remembered per process before the cache is emptied (a bound on memory, not a limit on sessions). */
const MAX_CACHED_SESSIONS = 50_000;

const unauthorized = (message: string): AppError => new AppError('UNAUTHORIZED', message);

export class AuthService {
  private readonly tokens: AccessTokens;
  private readonly sessions = new Map<string, { state: SessionState | undefined; readAt: number }>();
  private readonly uncheckable: Counter;

  constructor(
    private readonly store: AccountStore,
    private readonly ids: { next(): bigint },
    private readonly auth: Config['auth'],
    private readonly throttle: LoginThrottle,
    registry: Registry,
  ) {
    this.tokens = new AccessTokens(auth);
    this.uncheckable = new Counter({
      name: 'auth_session_check_unavailable_total',
      help: 'Signed-in requests let through on their token alone because the accounts database did not answer',
      registers: [registry],
    });
  }

  /** Creates an account; 409 / 50001 when the username is taken. */
  async register(username: string, password: string, role: Role = 'user'): Promise<{ userId: string }> {
    const userId = this.ids.next();
    const passwordHash = await hashPassword(password, this.auth.passwordCostLog2);
    try {
      await this.store.createUser({ userId, username, passwordHash, role });
    } catch (err) {
      if (err instanceof UsernameTaken) throw new AppError('USERNAME_TAKEN', `the username ${username} is taken`);
      throw err;
    }
    return { userId: userId.toString() };
  }

  /**
   * Tokens for a username and password; 401 / 10002 alike for an unknown user and a wrong password; 429 / 10006 for
   * an account or an address locked out by failed logins (lib/auth/login-throttle.ts), whatever the password.
   */
  async login(username: string, password: string, ip: string): Promise<IssuedTokens> {
    const user = await this.store.userByName(username);
    const account = LoginThrottle.accountKey(username, user?.userId);
    await this.throttle.check(account, ip);
    const valid = user
      ? await verifyPassword(password, user.passwordHash)
      : await verifyNothing(password, this.auth.passwordCostLog2);
    if (!user || !valid) {
      await this.throttle.failed(account, ip);
      throw unauthorized('wrong username or password');
    }
    await this.throttle.succeeded(account);
    const { sessionId, refreshToken } = await this.store.openSession(user.userId);
    return this.issue(user.userId, user.role, sessionId, refreshToken);
  }

  /** New tokens for a refresh token, which is used up; a token used before ends its whole session. */
  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const use = await this.store.useRefreshToken(refreshToken);
    if (use.outcome === 'reused') {
      this.forget(use.sessionId);
      throw unauthorized('this refresh token was used before; its session is ended, log in again');
    }
    if (use.outcome !== 'rotated') throw unauthorized(`the refresh token is ${use.outcome}; log in again`);
    const state = await this.store.sessionState(use.sessionId);
    if (!state || state.endedBecause) throw unauthorized('the session has ended; log in again');
    return this.issue(use.userId, state.role, use.sessionId, use.refreshToken);
  }

  /** Ends the caller's session: its access and refresh tokens stop working. */
  async logout(caller: Principal): Promise<void> {
    await this.store.revokeSession(caller.sessionId, 'logout');
    this.forget(caller.sessionId);
  }

  /** The caller a bearer token names, or 401 / 10002 saying why not. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer ([A-Za-z0-9_\-.]{1,4096})$/.exec(authorization ?? '');
    if (!match) {
      throw unauthorized(
        authorization ? 'the Authorization header is not a bearer token' : 'this route needs a bearer token',
      );
    }
    let claims;
    try {
      claims = await this.tokens.verify(match[1] as string);
    } catch (err) {
      if (err instanceof TokenRefused) throw unauthorized(err.message);
      throw err;
    }
    const state = await this.session(claims);
    if (!state) throw unauthorized('the session of this token does not exist');
    if (state.endedBecause) throw unauthorized(`${state.endedBecause}; log in again`);
    if (state.userId !== claims.userId) throw unauthorized('the token does not match its session');
    return { userId: state.userId, username: state.username, role: state.role, sessionId: claims.sessionId };
  }

  /**
   * Sets a user's role (by an admin); its sessions see it within auth.sessionCheckSeconds. No one changes their own
   * role: an admin cannot lock themselves out, and the last admin can never be demoted (only another admin may).
   */
  async setRole(
    caller: Principal,
    userId: bigint,
    role: Role,
  ): Promise<{ userId: string; username: string; role: Role }> {
    if (caller.userId === userId) {
      throw new AppError('FORBIDDEN', 'no one changes their own role; another admin must', {
        userId: userId.toString(),
      });
    }
    if (!(await this.store.setRole(userId, role))) throw new AppError('USER_NOT_FOUND', `no user ${userId}`);
    const user = await this.store.userById(userId);
    for (const [id, entry] of this.sessions) if (entry.state?.userId === userId) this.sessions.delete(id);
    return { userId: userId.toString(), username: user?.username ?? '', role };
  }

  private async issue(userId: bigint, role: Role, sessionId: string, refreshToken: string): Promise<IssuedTokens> {
    return {
      accessToken: await this.tokens.sign({ userId, role, sessionId }),
      refreshToken,
      expiresIn: this.tokens.lifetimeSeconds,
      user: { userId: userId.toString(), role },
    };
  }

  private async session(claims: AccessClaims): Promise<SessionState | undefined> {
    const { sessionId } = claims;
    const cached = this.sessions.get(sessionId);
    if (cached && Date.now() - cached.readAt < this.auth.sessionCheckSeconds * 1000) return cached.state;
    let state: SessionState | undefined;
    try {
      state = await this.store.sessionState(sessionId);
    } catch (err) {
      if (!unavailableDependency(err)) throw err;
      this.uncheckable.inc();
      // Judged by what was last read of it, else by the token itself (see the comment at the top).
      return cached ? cached.state : { userId: claims.userId, username: `user-${claims.userId}`, role: claims.role };
    }
    if (this.sessions.size >= MAX_CACHED_SESSIONS) this.sessions.clear();
    this.sessions.set(sessionId, { state, readAt: Date.now() });
    return state;
  }

  private forget(sessionId: string): void {
    this.sessions.delete(sessionId);
  }
}
