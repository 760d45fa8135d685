-- The relay's due rows in id order without sorting the backlog: findDueIds (ORDER BY id LIMIT n) and the reconciler
-- read pending rows by (status, id). With (status, next_retry_at) alone, MariaDB either sorted every pending row per
-- batch (20 ms at 15,000 pending) or walked the primary key through every sent row ahead of them. idx_status_next_retry
-- stays: it answers findDueIds' "an earlier row of the order is backing off" check without reading the rows.
CREATE INDEX `idx_status_id` ON `t_local_message`(`status`, `id`);
