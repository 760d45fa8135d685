-- CreateTable
CREATE TABLE `t_order` (
    `id` BIGINT UNSIGNED NOT NULL,
    `user_id` BIGINT UNSIGNED NOT NULL,
    `order_no` VARCHAR(32) NOT NULL,
    `total_amount` DECIMAL(10, 2) NOT NULL,
    `discount_amount` DECIMAL(10, 2) NOT NULL DEFAULT 0,
    `actual_amount` DECIMAL(10, 2) NOT NULL,
    `status` TINYINT NOT NULL DEFAULT 0,
    `payment_method` VARCHAR(20) NOT NULL,
    `shipping_address` TEXT NOT NULL,
    `remark` VARCHAR(500) NOT NULL DEFAULT '',
    `paid_at` DATETIME(3) NULL,
    `shipped_at` DATETIME(3) NULL,
    `completed_at` DATETIME(3) NULL,
    `cancelled_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `uk_order_no`(`order_no`),
    INDEX `idx_user_id`(`user_id`),
    INDEX `idx_status_created`(`status`, `created_at`),
    INDEX `idx_created_at`(`created_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `t_order_item` (
    `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    `order_id` BIGINT UNSIGNED NOT NULL,
    `product_id` BIGINT UNSIGNED NOT NULL,
    `sku_id` BIGINT UNSIGNED NOT NULL,
    `product_name` VARCHAR(200) NOT NULL,
    `product_image` VARCHAR(500) NOT NULL DEFAULT '',
    `price` DECIMAL(10, 2) NOT NULL,
    `quantity` INTEGER UNSIGNED NOT NULL,
    `subtotal` DECIMAL(10, 2) NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `uk_order_sku`(`order_id`, `product_id`, `sku_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `t_local_message` (
    `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    `message_id` CHAR(36) NOT NULL,
    `tx_id` BIGINT UNSIGNED NOT NULL,
    `topic` VARCHAR(128) NOT NULL,
    `event_type` VARCHAR(64) NOT NULL,
    `payload` JSON NOT NULL,
    `status` TINYINT NOT NULL DEFAULT 0,
    `retry_count` INTEGER UNSIGNED NOT NULL DEFAULT 0,
    `max_retry` INTEGER UNSIGNED NOT NULL DEFAULT 5,
    `next_retry_at` DATETIME(3) NULL,
    `error_msg` VARCHAR(1000) NULL,
    `sent_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    UNIQUE INDEX `uk_message_id`(`message_id`),
    INDEX `idx_status_next_retry`(`status`, `next_retry_at`),
    INDEX `idx_tx_id`(`tx_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `t_cdc_checkpoint` (
    `consumer` VARCHAR(64) NOT NULL,
    `binlog_file` VARCHAR(255) NOT NULL,
    `binlog_pos` BIGINT UNSIGNED NOT NULL,
    `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`consumer`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `t_order_item` ADD CONSTRAINT `fk_item_order` FOREIGN KEY (`order_id`) REFERENCES `t_order`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
