-- Alerts Alertmanager delivered to the API's webhook (POST /v1/alerts/webhook): one row per alert occurrence (its
-- fingerprint and the time it started firing), updated by each notification until it is resolved.
CREATE TABLE t_alert (
  id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  fingerprint       VARCHAR(64)     NOT NULL,
  starts_at         DATETIME(3)     NOT NULL,
  alertname         VARCHAR(128)    NOT NULL,
  severity          VARCHAR(32)     NOT NULL DEFAULT '',
  status            VARCHAR(16)     NOT NULL,
  summary           VARCHAR(1024)   NOT NULL DEFAULT '',
  labels            JSON            NOT NULL,
  ends_at           DATETIME(3)     NULL,
  first_received_at DATETIME(3)     NOT NULL,
  last_received_at  DATETIME(3)     NOT NULL,
  notifications     INT UNSIGNED    NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  UNIQUE KEY uk_alert_occurrence (fingerprint, starts_at),
  KEY idx_alert_status (status, last_received_at),
  CONSTRAINT chk_alert_status CHECK (status IN ('firing', 'resolved'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
