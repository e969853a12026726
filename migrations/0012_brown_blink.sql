ALTER TABLE `order_reviews` ADD `resolution` text;--> statement-breakpoint
ALTER TABLE `order_reviews` ADD `resolution_note` text;--> statement-breakpoint
ALTER TABLE `order_reviews` ADD `resolved_by_name` text;--> statement-breakpoint
ALTER TABLE `residents` ADD `pin_enc` text;