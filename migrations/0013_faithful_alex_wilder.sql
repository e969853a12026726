DROP INDEX `order_subsidies_order`;--> statement-breakpoint
CREATE INDEX `order_subsidies_order` ON `order_subsidies` (`order_id`,`amount_fen`,`layer_key`);--> statement-breakpoint
DROP INDEX `orders_resident`;--> statement-breakpoint
CREATE INDEX `orders_resident_created` ON `orders` (`resident_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_resident` ON `orders` (`resident_id`,`service_date`,`meal_period`,`state`,`id`,`canteen_id`);--> statement-breakpoint
DROP INDEX `wallet_entries_resident`;--> statement-breakpoint
CREATE INDEX `wallet_entries_resident` ON `wallet_entries` (`resident_id`,`amount_fen`);