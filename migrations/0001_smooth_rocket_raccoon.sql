ALTER TABLE `orders` ADD `quote_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_quote` ON `orders` (`quote_id`);