/**
 * The accounts database: users, login sessions and their refresh tokens (prisma/accounts/migrations). Refresh tokens
 * are stored as their SHA-256 only; a token is used at most once, and using one twice revokes its session.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { fromSqlDateTime, isDuplicateKey, toSqlDateTime, type SqlPool } from '../db/sql-pool';
import { isRole, type Role } from '../auth/roles';

export interface UserRow {
  userId: bigint;
  username: string;
  passwordHash: string;
  role: Role;
}

/** A session as a request's check sees it. */
export interface SessionState {
  userId: bigint;
  username: string;
  role: Role;
  /** Why it no longer counts (logout, refresh-token reuse, expiry), or undefined while it does. */
  endedBecause?: string;
}

/** What presenting a refresh token found. */
export type RefreshUse =
  | { outcome: 'rotated'; sessionId: string; userId: bigint; refreshToken: string }
  | { outcome: 'unknown' | 'expired' | 'revoked' }
  /** Used before: the session is revoked now (someone else may hold a copy). */
  | { outcome: 'reused'; sessionId: string };

/** Raised when registering a username another account has. */
export class UsernameTaken extends Error {
  override readonly name = 'UsernameTaken';
}

interface UserDbRow {
  id: bigint;
  username: string;
  password_hash: string;
  role: string;
}

const toUser = (row: UserDbRow): UserRow => ({
  userId: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  role: isRole(row.role) ? row.role : 'user',
});

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');
const newRefreshToken = (): string => randomBytes(32).toString('base64url');
const inSeconds = (seconds: number): string => toSqlDateTime(new Date(Date.now() + seconds * 1000));

export class AccountStore {
  constructor(
    private readonly db: SqlPool,
    private readonly refreshTokenSeconds: number,
  ) {}

  async createUser(user: { userId: bigint; username: string; passwordHash: string; role: Role }): Promise<void> {
    try {
      await this.db.write(
        `INSERT INTO t_user (id, username, password_hash, role, created_at, updated_at)
         VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))`,
        [user.userId, user.username, user.passwordHash, user.role],
      );
    } catch (err) {
      if (isDuplicateKey(err, 'uk_username')) throw new UsernameTaken(`username ${user.username} is taken`);
      throw err;
    }
  }

  async userByName(username: string): Promise<UserRow | undefined> {
    const [row] = await this.db.rows<UserDbRow>(
      'SELECT id, username, password_hash, role FROM t_user WHERE username = ?',
      [username],
    );
    return row ? toUser(row) : undefined;
  }

  async userById(userId: bigint): Promise<UserRow | undefined> {
    const [row] = await this.db.rows<UserDbRow>('SELECT id, username, password_hash, role FROM t_user WHERE id = ?', [
      userId,
    ]);
    return row ? toUser(row) : undefined;
  }

  /** Sets a user's role; false when there is no such user. */
  async setRole(userId: bigint, role: Role): Promise<boolean> {
    const changed = await this.db.write('UPDATE t_user SET role = ?, updated_at = UTC_TIMESTAMP(3) WHERE id = ?', [
      role,
      userId,
    ]);
    return changed > 0;
  }

  /** Opens a login session with its first refresh token. */
  async openSession(userId: bigint): Promise<{ sessionId: string; refreshToken: string }> {
    const sessionId = randomUUID();
    const refreshToken = newRefreshToken();
    await this.db.transaction(async (tx) => {
      await tx.write('INSERT INTO t_session (id, user_id, created_at, expires_at) VALUES (?, ?, UTC_TIMESTAMP(3), ?)', [
        sessionId,
        userId,
        inSeconds(this.refreshTokenSeconds),
      ]);
      await tx.write(
        `INSERT INTO t_refresh_token (token_hash, session_id, issued_at, expires_at)
         VALUES (?, ?, UTC_TIMESTAMP(3), ?)`,
        [sha256(refreshToken), sessionId, inSeconds(this.refreshTokenSeconds)],
      );
    });
    return { sessionId, refreshToken };
  }

  /**
   * Presents a refresh token: a valid one is marked used and the next one of its session issued (rotation); one used
   * before revokes its whole session, whose later tokens then fail too.
   */
  async useRefreshToken(refreshToken: string): Promise<RefreshUse> {
    const hash = sha256(refreshToken);
    const use = await this.db.transaction(async (tx): Promise<RefreshUse> => {
      const [row] = await tx.rows<{
        session_id: string;
        user_id: bigint;
        token_expires: string;
        used_at: string | null;
        revoked_at: string | null;
      }>(
        `SELECT t.session_id, s.user_id, t.expires_at AS token_expires, t.used_at, s.revoked_at
         FROM t_refresh_token t JOIN t_session s ON s.id = t.session_id
         WHERE t.token_hash = ? FOR UPDATE`,
        [hash],
      );
      if (!row) return { outcome: 'unknown' };
      if (row.revoked_at !== null) return { outcome: 'revoked' };
      if (row.used_at !== null) return { outcome: 'reused', sessionId: row.session_id };
      if (fromSqlDateTime(row.token_expires).getTime() <= Date.now()) return { outcome: 'expired' };
      const next = newRefreshToken();
      await tx.write('UPDATE t_refresh_token SET used_at = UTC_TIMESTAMP(3) WHERE token_hash = ?', [hash]);
      await tx.write(
        `INSERT INTO t_refresh_token (token_hash, session_id, issued_at, expires_at)
         VALUES (?, ?, UTC_TIMESTAMP(3), ?)`,
        [sha256(next), row.session_id, inSeconds(this.refreshTokenSeconds)],
      );
      // The session lives as long as its newest refresh token.
      await tx.write('UPDATE t_session SET expires_at = ? WHERE id = ?', [
        inSeconds(this.refreshTokenSeconds),
        row.session_id,
      ]);
      return { outcome: 'rotated', sessionId: row.session_id, userId: row.user_id, refreshToken: next };
    });
    if (use.outcome === 'reused') await this.revokeSession(use.sessionId, 'refresh token reused');
    return use;
  }

  /** The session a refresh token belongs to, if the token is known. */
  async sessionOfRefreshToken(refreshToken: string): Promise<string | undefined> {
    const [row] = await this.db.rows<{ session_id: string }>(
      'SELECT session_id FROM t_refresh_token WHERE token_hash = ?',
      [sha256(refreshToken)],
    );
    return row?.session_id;
  }

  async revokeSession(sessionId: string, reason: string): Promise<void> {
    await this.db.write(
      'UPDATE t_session SET revoked_at = UTC_TIMESTAMP(3), revoke_reason = ? WHERE id = ? AND revoked_at IS NULL',
      [reason, sessionId],
    );
  }

  /** The session with its user's current role; undefined when it does not exist. */
  async sessionState(sessionId: string): Promise<SessionState | undefined> {
    const [row] = await this.db.rows<{
      user_id: bigint;
      username: string;
      role: string;
      expires_at: string;
      revoked_at: string | null;
      revoke_reason: string | null;
    }>(
      `SELECT s.user_id, u.username, u.role, s.expires_at, s.revoked_at, s.revoke_reason
       FROM t_session s JOIN t_user u ON u.id = s.user_id WHERE s.id = ?`,
      [sessionId],
    );
    if (!row) return undefined;
    const ended =
      row.revoked_at !== null
        ? `the session was ended (${row.revoke_reason ?? 'revoked'})`
        : fromSqlDateTime(row.expires_at).getTime() <= Date.now()
          ? 'the session has expired'
          : undefined;
    return {
      userId: row.user_id,
      username: row.username,
      role: isRole(row.role) ? row.role : 'user',
      ...(ended ? { endedBecause: ended } : {}),
    };
  }
}
