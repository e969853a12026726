CREATE TABLE `attempt_guards` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `payment_reference` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `staff_reason` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `staff_reason_note` text;--> statement-breakpoint
ALTER TABLE `resident_categories` ADD `state` text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE `resident_categories` ADD `created_by_name` text;--> statement-breakpoint
ALTER TABLE `resident_categories` ADD `decided_by` text;--> statement-breakpoint
ALTER TABLE `resident_categories` ADD `decided_by_name` text;--> statement-breakpoint
ALTER TABLE `resident_categories` ADD `decided_at` text;--> statement-breakpoint
ALTER TABLE `resident_categories` ADD `decision_note` text;--> statement-breakpoint
CREATE INDEX `resident_categories_state` ON `resident_categories` (`state`);--> statement-breakpoint
-- Categories recorded before approval existed count as approved (their evidence was accepted when they were entered).
UPDATE `resident_categories` SET `state` = 'approved', `decided_at` = `created_at`, `decision_note` = '审核制度实施前登记，迁移时视为已批准';--> statement-breakpoint
-- PIN tries are now counted per phone (its keyed hash), known or not: carry over today's tries and locks.
INSERT OR IGNORE INTO `attempt_guards` (`key`, `failures`, `locked_until`, `updated_at`)
  SELECT 'pin:' || `phone_hash`, `pin_failures`, `pin_locked_until`, strftime('%Y-%m-%dT%H:%M:%fZ','now')
  FROM `residents`
  WHERE `phone_hash` IS NOT NULL AND `pin_hash` IS NOT NULL AND (`pin_failures` > 0 OR `pin_locked_until` IS NOT NULL);
