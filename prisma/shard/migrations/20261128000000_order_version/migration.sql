-- AlterTable: a counter every change of the order raises in its own transaction; the search document's version.
ALTER TABLE `t_order` ADD COLUMN `version` BIGINT UNSIGNED NOT NULL DEFAULT 1;
