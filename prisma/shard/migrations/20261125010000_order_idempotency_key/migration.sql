-- AlterTable
ALTER TABLE `t_order` ADD COLUMN `idempotency_key` VARCHAR(64) NULL;

-- CreateIndex
CREATE UNIQUE INDEX `uk_user_idempotency_key` ON `t_order`(`user_id`, `idempotency_key`);
