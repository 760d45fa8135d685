-- AlterTable
ALTER TABLE `t_local_message` ADD COLUMN `dead_lettered_at` DATETIME(3) NULL;
