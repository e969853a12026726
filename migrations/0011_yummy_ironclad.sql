CREATE INDEX `residents_birth_date` ON `residents` (`birth_date`);--> statement-breakpoint
CREATE INDEX `residents_status` ON `residents` (`status`,`status_since`);