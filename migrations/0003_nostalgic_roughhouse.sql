CREATE TABLE `meal_ratings` (
	`order_id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`service_date` text NOT NULL,
	`rating` text NOT NULL,
	`device_id` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `meal_ratings_day_canteen` ON `meal_ratings` (`service_date`,`canteen_id`);