CREATE TABLE `roster_import_rows` (
	`import_id` text NOT NULL,
	`row_index` integer NOT NULL,
	`row_number` integer NOT NULL,
	`status` text NOT NULL,
	`id_number_hash` text,
	`payload_enc` text,
	`errors` text NOT NULL,
	`existing_resident_id` text,
	PRIMARY KEY(`import_id`, `row_index`)
);
--> statement-breakpoint
CREATE INDEX `roster_import_rows_hash` ON `roster_import_rows` (`import_id`,`id_number_hash`);--> statement-breakpoint
CREATE TABLE `roster_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`file_name` text NOT NULL,
	`mapping` text NOT NULL,
	`state` text NOT NULL,
	`staged_rows` integer DEFAULT 0 NOT NULL,
	`error_rows` integer DEFAULT 0 NOT NULL,
	`duplicate_rows` integer DEFAULT 0 NOT NULL,
	`created_rows` integer DEFAULT 0 NOT NULL,
	`updated_rows` integer DEFAULT 0 NOT NULL,
	`skipped_rows` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`committed_at` text
);
--> statement-breakpoint
CREATE INDEX `roster_imports_created` ON `roster_imports` (`created_at`);--> statement-breakpoint
CREATE TABLE `wallet_payouts` (
	`entry_id` text PRIMARY KEY NOT NULL,
	`resident_id` text NOT NULL,
	`recipient_name` text NOT NULL,
	`recipient_relation` text NOT NULL,
	`recipient_id_last4` text,
	`recipient_phone_enc` text,
	`recipient_phone_last4` text,
	`method` text NOT NULL,
	`reference` text,
	`resident_status` text NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wallet_payouts_resident` ON `wallet_payouts` (`resident_id`);--> statement-breakpoint
-- SQLite adds a NOT NULL column only with a default: these defaults exist for the rows already there (backfilled
-- below); the code always writes every column.
ALTER TABLE `price_changes` ADD `canteen_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `price_changes` ADD `state` text DEFAULT 'approved' NOT NULL;--> statement-breakpoint
ALTER TABLE `price_changes` ADD `effective_on` text DEFAULT '2000-01-01' NOT NULL;--> statement-breakpoint
ALTER TABLE `price_changes` ADD `decided_by` text;--> statement-breakpoint
ALTER TABLE `price_changes` ADD `decided_at` text;--> statement-breakpoint
ALTER TABLE `price_changes` ADD `decision_note` text;--> statement-breakpoint
ALTER TABLE `price_changes` ADD `proposed_by_name` text;--> statement-breakpoint
ALTER TABLE `price_changes` ADD `decided_by_name` text;--> statement-breakpoint
CREATE INDEX `price_changes_dish_effective` ON `price_changes` (`dish_id`,`state`,`effective_on`);--> statement-breakpoint
CREATE INDEX `price_changes_canteen` ON `price_changes` (`canteen_id`,`state`);--> statement-breakpoint
-- Price changes recorded before approvals existed were applied when they were written: approved, in force from
-- that (UTC) day; a dish's first price (no old price) from 2000-01-01, so every order ever placed finds it.
UPDATE `price_changes` SET
  `canteen_id` = COALESCE((SELECT d.`canteen_id` FROM `dishes` d WHERE d.`id` = `price_changes`.`dish_id`), ''),
  `effective_on` = CASE WHEN `old_price_fen` IS NULL THEN '2000-01-01' ELSE substr(`changed_at`, 1, 10) END,
  `decided_by` = `changed_by`,
  `decided_at` = `changed_at`,
  `notice_from` = COALESCE(`notice_from`, `changed_at`);--> statement-breakpoint
-- A dish with no price history at all gets its current price as its first, approved one.
INSERT INTO `price_changes` (`id`, `dish_id`, `canteen_id`, `old_price_fen`, `new_price_fen`, `reason`, `changed_by`, `changed_at`, `state`, `effective_on`, `decided_at`)
  SELECT 'pc-initial-' || d.`id`, d.`id`, d.`canteen_id`, NULL, d.`price_fen`, '迁移时的现行价格', NULL, d.`created_at`, 'approved', '2000-01-01', d.`created_at`
  FROM `dishes` d WHERE NOT EXISTS (SELECT 1 FROM `price_changes` p WHERE p.`dish_id` = d.`id`);--> statement-breakpoint
ALTER TABLE `wallet_entries` ADD `created_by_name` text;--> statement-breakpoint
ALTER TABLE `wallet_entries` ADD `receipt_no` text;--> statement-breakpoint
CREATE UNIQUE INDEX `wallet_entries_receipt` ON `wallet_entries` (`receipt_no`);--> statement-breakpoint
CREATE INDEX `wallet_entries_canteen` ON `wallet_entries` (`canteen_id`,`created_at`);