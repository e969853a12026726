CREATE TABLE `refused_orders` (
	`order_id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`device_id` text,
	`resident_id` text,
	`service_date` text NOT NULL,
	`meal_period` text NOT NULL,
	`lines` text NOT NULL,
	`payment_method` text NOT NULL,
	`quoted_elder_pays_fen` integer NOT NULL,
	`quoted_elder_subsidy_fen` integer NOT NULL,
	`made_at` text,
	`received_at` text NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`handled_at` text,
	`handled_by` text,
	`handled_by_name` text,
	`handled_note` text
);
--> statement-breakpoint
CREATE INDEX `refused_orders_day` ON `refused_orders` (`service_date`,`canteen_id`);