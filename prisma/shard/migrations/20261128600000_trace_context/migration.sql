-- AlterTable: the W3C trace context (traceparent) of the change each outbox row announces; the relay's publish span
-- and the Kafka record's `traceparent` header continue that trace, so a consumer's span joins the order's trace.
ALTER TABLE `t_local_message` ADD COLUMN `trace_context` VARCHAR(128) NULL;
