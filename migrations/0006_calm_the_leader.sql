CREATE TABLE `anomalies` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`canteen_id` text NOT NULL,
	`street_code` text NOT NULL,
	`district_code` text NOT NULL,
	`resident_id` text,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`first_date` text NOT NULL,
	`last_date` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`explanation` text NOT NULL,
	`figures` text NOT NULL,
	`order_count` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`detected_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`note` text,
	`resolved_at` text,
	`resolved_by` text,
	`resolved_by_name` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `anomalies_key` ON `anomalies` (`key`);--> statement-breakpoint
CREATE INDEX `anomalies_district_period` ON `anomalies` (`district_code`,`period_from`);--> statement-breakpoint
CREATE INDEX `anomalies_canteen_period` ON `anomalies` (`canteen_id`,`period_from`);--> statement-breakpoint
CREATE INDEX `anomalies_status` ON `anomalies` (`status`,`period_from`);--> statement-breakpoint
CREATE TABLE `anomaly_orders` (
	`anomaly_id` text NOT NULL,
	`order_id` text NOT NULL,
	PRIMARY KEY(`anomaly_id`, `order_id`)
);
--> statement-breakpoint
CREATE INDEX `anomaly_orders_order` ON `anomaly_orders` (`order_id`);--> statement-breakpoint
CREATE TABLE `claim_adjustments` (
	`id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`payer` text NOT NULL,
	`claim_id` text,
	`source_claim_id` text NOT NULL,
	`order_id` text NOT NULL,
	`reason` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`note` text NOT NULL,
	`anomaly_id` text,
	`created_at` text NOT NULL,
	`created_by` text,
	`created_by_name` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claim_adjustments_source_order` ON `claim_adjustments` (`source_claim_id`,`order_id`);--> statement-breakpoint
CREATE INDEX `claim_adjustments_open` ON `claim_adjustments` (`canteen_id`,`payer`,`claim_id`);--> statement-breakpoint
CREATE INDEX `claim_adjustments_claim` ON `claim_adjustments` (`claim_id`);--> statement-breakpoint
CREATE TABLE `claim_disallowances` (
	`id` text PRIMARY KEY NOT NULL,
	`claim_id` text NOT NULL,
	`order_id` text NOT NULL,
	`reason` text NOT NULL,
	`source` text NOT NULL,
	`anomaly_id` text,
	`by` text,
	`by_name` text,
	`at` text NOT NULL,
	`revoked_at` text,
	`revoked_by` text,
	`revoked_by_name` text,
	`revoke_reason` text
);
--> statement-breakpoint
CREATE INDEX `claim_disallowances_claim` ON `claim_disallowances` (`claim_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `claim_disallowances_active` ON `claim_disallowances` (`claim_id`,`order_id`) WHERE revoked_at IS NULL;--> statement-breakpoint
CREATE TABLE `claim_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` text NOT NULL,
	`action` text NOT NULL,
	`at` text NOT NULL,
	`by` text,
	`by_name` text,
	`reason` text,
	`details` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `claim_events_claim` ON `claim_events` (`claim_id`);--> statement-breakpoint
CREATE TABLE `claim_orders` (
	`claim_id` text NOT NULL,
	`order_id` text NOT NULL,
	`service_date` text NOT NULL,
	`meal_period` text NOT NULL,
	`category` text,
	`meal_fen` integer NOT NULL,
	`delivery_fen` integer NOT NULL,
	`operating_fen` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	PRIMARY KEY(`claim_id`, `order_id`)
);
--> statement-breakpoint
CREATE INDEX `claim_orders_order` ON `claim_orders` (`order_id`);--> statement-breakpoint
CREATE TABLE `claim_payer_settings` (
	`payer` text NOT NULL,
	`from_month` text NOT NULL,
	`cadence` text NOT NULL,
	`set_by` text,
	`set_by_name` text,
	`set_at` text NOT NULL,
	PRIMARY KEY(`payer`, `from_month`)
);
--> statement-breakpoint
-- claims and claim_lines were placeholders that never held a row: they are replaced by their real shape.
DROP TABLE `claim_lines`;--> statement-breakpoint
DROP TABLE `claims`;--> statement-breakpoint
CREATE TABLE `claims` (
	`id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`street_code` text NOT NULL,
	`district_code` text NOT NULL,
	`payer` text NOT NULL,
	`period` text NOT NULL,
	`cadence` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`state` text DEFAULT 'draft' NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`order_count` integer DEFAULT 0 NOT NULL,
	`claimed_fen` integer DEFAULT 0 NOT NULL,
	`disallowed_count` integer DEFAULT 0 NOT NULL,
	`disallowed_fen` integer DEFAULT 0 NOT NULL,
	`adjustment_fen` integer DEFAULT 0 NOT NULL,
	`total_fen` integer DEFAULT 0 NOT NULL,
	`generated_at` text NOT NULL,
	`generated_by` text,
	`snapshot_at` text,
	`submitted_at` text,
	`submitted_by` text,
	`submitted_by_name` text,
	`checked_at` text,
	`checked_by` text,
	`checked_by_name` text,
	`decided_at` text,
	`decided_by` text,
	`decided_by_name` text,
	`paid_fen` integer,
	`paid_on` text,
	`payment_reference` text,
	`paid_by` text,
	`paid_by_name` text,
	`payment_recorded_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claims_canteen_payer_period` ON `claims` (`canteen_id`,`payer`,`period`);--> statement-breakpoint
CREATE INDEX `claims_district_period` ON `claims` (`district_code`,`period_from`);--> statement-breakpoint
CREATE INDEX `claims_street_period` ON `claims` (`street_code`,`period_from`);--> statement-breakpoint
CREATE INDEX `claims_period` ON `claims` (`period_from`,`state`);--> statement-breakpoint
CREATE TABLE `claim_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` text NOT NULL,
	`category` text,
	`meal_period` text NOT NULL,
	`kind` text NOT NULL,
	`order_count` integer NOT NULL,
	`amount_fen` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `claim_lines_claim` ON `claim_lines` (`claim_id`);--> statement-breakpoint
ALTER TABLE `audit_log` ADD `actor_name` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `canteen_id` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `area_code` text;--> statement-breakpoint
CREATE INDEX `audit_actor` ON `audit_log` (`actor_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_action` ON `audit_log` (`action`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_canteen` ON `audit_log` (`canteen_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_area` ON `audit_log` (`area_code`,`seq`);--> statement-breakpoint
CREATE INDEX `orders_refunded` ON `orders` (`refunded_at`) WHERE refunded_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_settlement` ON `orders` (`service_date`,`canteen_id`,`meal_period`,`state`,`fulfilment`,`identify_method`,`resident_id`,`meal_price_fen`,`elder_subsidy_fen`,`operator_subsidy_fen`,`created_at`);