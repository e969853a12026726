DROP INDEX `orders_canteen_day`;--> statement-breakpoint
DROP INDEX `orders_day_canteen`;