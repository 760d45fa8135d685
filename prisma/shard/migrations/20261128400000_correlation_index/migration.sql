-- CreateIndex: `doos trace <correlationId>` finds the orders and outbox rows of one request without a table scan.
CREATE INDEX `idx_correlation_id` ON `t_order`(`correlation_id`);
CREATE INDEX `idx_correlation_id` ON `t_local_message`(`correlation_id`);
