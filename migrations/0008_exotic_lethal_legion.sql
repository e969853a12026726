CREATE TABLE `help_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`device_id` text NOT NULL,
	`requested_at` text NOT NULL,
	`acknowledged_at` text,
	`acknowledged_by` text
);
--> statement-breakpoint
CREATE INDEX `help_calls_open` ON `help_calls` (`canteen_id`,`acknowledged_at`);--> statement-breakpoint
CREATE TABLE `order_reviews` (
	`order_id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`resident_id` text,
	`service_date` text NOT NULL,
	`meal_period` text NOT NULL,
	`flagged` integer NOT NULL,
	`reason` text,
	`reasons` text NOT NULL,
	`kiosk_elder_pays_fen` integer NOT NULL,
	`kiosk_elder_subsidy_fen` integer NOT NULL,
	`kiosk_policy_version_ids` text NOT NULL,
	`server_elder_pays_fen` integer NOT NULL,
	`server_elder_subsidy_fen` integer NOT NULL,
	`server_policy_version_ids` text NOT NULL,
	`created_at` text NOT NULL,
	`resolved_at` text,
	`resolved_by` text
);
--> statement-breakpoint
CREATE INDEX `order_reviews_day` ON `order_reviews` (`service_date`,`canteen_id`);--> statement-breakpoint
CREATE INDEX `order_reviews_flagged` ON `order_reviews` (`flagged`,`reason`,`service_date`);--> statement-breakpoint
CREATE INDEX `order_reviews_resident` ON `order_reviews` (`resident_id`,`service_date`,`meal_period`);--> statement-breakpoint
ALTER TABLE `canteens` ADD `wallet_offline_limit_fen` integer DEFAULT 2000 NOT NULL;--> statement-breakpoint
ALTER TABLE `canteens` ADD `delivery_minutes` integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE `devices` ADD `heartbeat_at` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `pending_orders` integer;--> statement-breakpoint
ALTER TABLE `devices` ADD `clock_offset_ms` integer;--> statement-breakpoint
ALTER TABLE `devices` ADD `cache_fetched_at` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `client_created_at` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `offline` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `resident_tokens` ADD `token_enc` text;