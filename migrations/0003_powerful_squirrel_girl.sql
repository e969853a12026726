CREATE TABLE `meal_ratings` (
	`order_id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`service_date` text NOT NULL,
	`rating` text NOT NULL,
	`device_id` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `meal_ratings_day_canteen` ON `meal_ratings` (`service_date`,`canteen_id`);--> statement-breakpoint
CREATE INDEX `order_subsidies_split` ON `order_subsidies` (`order_id`,`payer`,`kind`,`amount_fen`);--> statement-breakpoint
CREATE INDEX `orders_report` ON `orders` (`service_date`,`canteen_id`,`state`,`meal_period`,`fulfilment`,`payment_method`,`resident_category`,`elder_subsidy_fen`,`elder_pays_fen`,`operator_subsidy_fen`,`meal_price_fen`,`resident_id`,`id`);