ALTER TABLE `daily_closes` ADD `cash_expected_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_closes` ADD `cash_counted_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_closes` ADD `cash_difference_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_closes` ADD `cash_note` text;--> statement-breakpoint
ALTER TABLE `daily_closes` ADD `adjustments` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `service_date` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `meal_period` text DEFAULT 'lunch' NOT NULL;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `pickup_number` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `items` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `stop_order` integer;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `assigned_by` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `dispatched_by` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `delivered_by` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `failed_at` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `failed_by` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `fail_reason` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `alert_at` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `alert_ack_at` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `alert_ack_by` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `alert_ack_note` text;--> statement-breakpoint
CREATE INDEX `deliveries_canteen_day` ON `deliveries` (`canteen_id`,`service_date`,`courier`);--> statement-breakpoint
CREATE INDEX `deliveries_open_alerts` ON `deliveries` (`canteen_id`) WHERE alert_at IS NOT NULL AND alert_ack_at IS NULL;--> statement-breakpoint
ALTER TABLE `food_samples` ADD `dish_id` text;--> statement-breakpoint
ALTER TABLE `food_samples` ADD `recorded_by` text;--> statement-breakpoint
CREATE INDEX `orders_canteen_created` ON `orders` (`canteen_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_canteen_state_created` ON `orders` (`canteen_id`,`state`,`created_at`,`id`);--> statement-breakpoint
-- Backfill: deliveries made before this migration take their day, meal, pickup number and dishes from their order.
UPDATE `deliveries` SET
  `service_date` = (SELECT o.`service_date` FROM `orders` o WHERE o.`id` = `deliveries`.`order_id`),
  `meal_period` = (SELECT o.`meal_period` FROM `orders` o WHERE o.`id` = `deliveries`.`order_id`),
  `pickup_number` = (SELECT o.`pickup_number` FROM `orders` o WHERE o.`id` = `deliveries`.`order_id`),
  `items` = COALESCE((SELECT group_concat(l.`dish_name` || '×' || l.`quantity`, '，') FROM `order_lines` l WHERE l.`order_id` = `deliveries`.`order_id`), '')
WHERE EXISTS (SELECT 1 FROM `orders` o WHERE o.`id` = `deliveries`.`order_id`);
