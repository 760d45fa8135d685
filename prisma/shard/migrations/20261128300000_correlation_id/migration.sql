-- AlterTable: the request id (X-Request-Id) of the request that placed the order, and of the request that caused
-- each outbox row (its Kafka `correlation-id` header): one id from HTTP to Kafka and the search document.
ALTER TABLE `t_order` ADD COLUMN `correlation_id` VARCHAR(128) NULL;
ALTER TABLE `t_local_message` ADD COLUMN `correlation_id` VARCHAR(128) NULL;
