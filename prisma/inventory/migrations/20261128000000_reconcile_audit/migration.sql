-- CreateTable
CREATE TABLE `t_reconcile_audit` (
    `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    `run_id` VARCHAR(128) NOT NULL,
    `kind` VARCHAR(32) NOT NULL,
    `shard` INTEGER NULL,
    `order_id` BIGINT UNSIGNED NULL,
    `subject` VARCHAR(64) NOT NULL,
    `finding` VARCHAR(1000) NOT NULL,
    `action` VARCHAR(255) NOT NULL,
    `outcome` VARCHAR(16) NOT NULL,
    `error` VARCHAR(1000) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `idx_created_at`(`created_at`),
    INDEX `idx_order_id`(`order_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
