-- AlterTable: the W3C trace context (traceparent) of the request that placed the order. The outbox rows of the
-- order's later changes (paid, shipped, the stock deduction…) continue this trace, so one order is one trace in
-- Zipkin from its POST /v1/orders to the inventory consumer's deduction.
ALTER TABLE `t_order` ADD COLUMN `trace_context` VARCHAR(128) NULL;
