-- Accounts database (doos_accounts): users, their sessions and refresh tokens, and the audit log of admin/ops acts.
-- Plain SQL (no Prisma client): read and written by lib/accounts/*.ts.

-- A user: a buyer (role user), a merchant (admin) or an on-call operator (ops). The id is a Snowflake id; it also
-- routes the user's orders to their shard (user_id % shards).
CREATE TABLE t_user (
  id            BIGINT UNSIGNED NOT NULL,
  username      VARCHAR(32)     NOT NULL,
  -- scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>
  password_hash VARCHAR(255)    NOT NULL,
  role          VARCHAR(16)     NOT NULL DEFAULT 'user',
  created_at    DATETIME(3)     NOT NULL,
  updated_at    DATETIME(3)     NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_username (username),
  CONSTRAINT chk_user_role CHECK (role IN ('user', 'admin', 'ops'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A login: its access tokens carry its id (sid), its refresh tokens are one family. Revoked by logout, or by the
-- reuse of a refresh token (someone else holds a copy): every token of the session then stops working.
CREATE TABLE t_session (
  id            CHAR(36)        NOT NULL,
  user_id       BIGINT UNSIGNED NOT NULL,
  created_at    DATETIME(3)     NOT NULL,
  expires_at    DATETIME(3)     NOT NULL,
  revoked_at    DATETIME(3)     NULL,
  revoke_reason VARCHAR(64)     NULL,
  PRIMARY KEY (id),
  KEY idx_session_user (user_id),
  CONSTRAINT fk_session_user FOREIGN KEY (user_id) REFERENCES t_user (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A refresh token, stored as the SHA-256 of the opaque token the client holds. Used once: a refresh marks it used
-- and issues the next one of the session; a second use revokes the session.
CREATE TABLE t_refresh_token (
  token_hash    CHAR(64)        NOT NULL,
  session_id    CHAR(36)        NOT NULL,
  issued_at     DATETIME(3)     NOT NULL,
  expires_at    DATETIME(3)     NOT NULL,
  used_at       DATETIME(3)     NULL,
  PRIMARY KEY (token_hash),
  KEY idx_refresh_session (session_id),
  CONSTRAINT fk_refresh_session FOREIGN KEY (session_id) REFERENCES t_session (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every act of an admin or operator through the API (stock and price changes, outbox retries, backfills,
-- reconciler runs, order shipments and cancels, role changes), refused ones included: who, when, what, from where.
CREATE TABLE t_audit (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  at          DATETIME(3)     NOT NULL,
  actor_id    BIGINT UNSIGNED NOT NULL,
  actor_name  VARCHAR(32)     NOT NULL,
  actor_role  VARCHAR(16)     NOT NULL,
  -- The route, as `PUT /v1/admin/inventory/:productId/:skuId`.
  action      VARCHAR(128)    NOT NULL,
  -- The request's path (what it acted on) and its JSON body and query, without secrets.
  target      VARCHAR(512)    NOT NULL,
  detail      TEXT            NOT NULL,
  -- The HTTP status it was answered with.
  outcome     SMALLINT        NOT NULL,
  ip          VARCHAR(64)     NOT NULL,
  user_agent  VARCHAR(255)    NOT NULL,
  PRIMARY KEY (id),
  KEY idx_audit_at (at),
  KEY idx_audit_actor (actor_id, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
