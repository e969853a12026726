CREATE TABLE `areas` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`level` text NOT NULL,
	`parent_code` text
);
--> statement-breakpoint
CREATE INDEX `areas_parent` ON `areas` (`parent_code`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text,
	`details` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_entity` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `calendar_days` (
	`date` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE TABLE `canteen_meal_periods` (
	`canteen_id` text NOT NULL,
	`period` text NOT NULL,
	`opens` text NOT NULL,
	`closes` text NOT NULL,
	`days` text NOT NULL,
	PRIMARY KEY(`canteen_id`, `period`)
);
--> statement-breakpoint
CREATE TABLE `canteens` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`short_name` text NOT NULL,
	`area_code` text NOT NULL,
	`street_code` text NOT NULL,
	`district_code` text NOT NULL,
	`supply_mode` text NOT NULL,
	`address` text NOT NULL,
	`phone` text,
	`seats` integer NOT NULL,
	`time_zone` text DEFAULT 'Asia/Shanghai' NOT NULL,
	`dine_in` integer DEFAULT true NOT NULL,
	`delivery` integer DEFAULT true NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`status_reason` text,
	`status_from` text,
	`status_until` text,
	`operator_org_id` text NOT NULL,
	`opened_on` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `canteens_code` ON `canteens` (`code`);--> statement-breakpoint
CREATE INDEX `canteens_district` ON `canteens` (`district_code`);--> statement-breakpoint
CREATE INDEX `canteens_street` ON `canteens` (`street_code`);--> statement-breakpoint
CREATE TABLE `claim_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` text NOT NULL,
	`order_id` text NOT NULL,
	`layer_key` text NOT NULL,
	`payer` text NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`disallowed` integer DEFAULT false NOT NULL,
	`disallow_reason` text
);
--> statement-breakpoint
CREATE INDEX `claim_lines_claim` ON `claim_lines` (`claim_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `claim_lines_order_layer` ON `claim_lines` (`claim_id`,`order_id`,`layer_key`);--> statement-breakpoint
CREATE TABLE `claims` (
	`id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`month` text NOT NULL,
	`sequence` integer DEFAULT 0 NOT NULL,
	`state` text DEFAULT 'draft' NOT NULL,
	`total_fen` integer DEFAULT 0 NOT NULL,
	`disallowed_fen` integer DEFAULT 0 NOT NULL,
	`totals_by_payer` text DEFAULT '{}' NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`submitted_by` text,
	`submitted_at` text,
	`reviewed_by` text,
	`reviewed_at` text,
	`review_note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claims_month` ON `claims` (`canteen_id`,`month`,`sequence`);--> statement-breakpoint
CREATE TABLE `daily_closes` (
	`id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`service_date` text NOT NULL,
	`totals` text NOT NULL,
	`closed_by` text NOT NULL,
	`closed_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `daily_closes_day` ON `daily_closes` (`canteen_id`,`service_date`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`canteen_id` text NOT NULL,
	`resident_id` text,
	`address` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`courier` text,
	`care_level_at_order` integer DEFAULT 0 NOT NULL,
	`dispatched_at` text,
	`delivered_at` text,
	`note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_order` ON `deliveries` (`order_id`);--> statement-breakpoint
CREATE INDEX `deliveries_canteen` ON `deliveries` (`canteen_id`);--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`name` text NOT NULL,
	`credential_hash` text,
	`pairing_code_hash` text,
	`pairing_expires_at` text,
	`paired_at` text,
	`revoked_at` text,
	`last_seen_at` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_credential` ON `devices` (`credential_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `devices_pairing_code` ON `devices` (`pairing_code_hash`);--> statement-breakpoint
CREATE INDEX `devices_canteen` ON `devices` (`canteen_id`);--> statement-breakpoint
CREATE TABLE `dishes` (
	`id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`name` text NOT NULL,
	`name_en` text,
	`description` text,
	`category` text NOT NULL,
	`photo_url` text,
	`price_fen` integer NOT NULL,
	`is_set_meal` integer DEFAULT false NOT NULL,
	`kcal` integer,
	`protein_g` integer,
	`fat_g` integer,
	`carb_g` integer,
	`sodium_mg` integer,
	`sugar_g` integer,
	`tags` text DEFAULT '[]' NOT NULL,
	`allergens` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dishes_canteen` ON `dishes` (`canteen_id`);--> statement-breakpoint
CREATE TABLE `food_samples` (
	`id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`service_date` text NOT NULL,
	`meal_period` text NOT NULL,
	`dish_name` text NOT NULL,
	`weight_grams` integer NOT NULL,
	`stored_at` text NOT NULL,
	`discard_after` text NOT NULL,
	`stored_by` text NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE INDEX `food_samples_canteen` ON `food_samples` (`canteen_id`,`service_date`);--> statement-breakpoint
CREATE TABLE `menu_items` (
	`menu_id` text NOT NULL,
	`dish_id` text NOT NULL,
	`portions` integer,
	`sold` integer DEFAULT 0 NOT NULL,
	`sold_out` integer DEFAULT false NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`menu_id`, `dish_id`)
);
--> statement-breakpoint
CREATE TABLE `menus` (
	`id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`service_date` text NOT NULL,
	`meal_period` text NOT NULL,
	`note` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `menus_slot` ON `menus` (`canteen_id`,`service_date`,`meal_period`);--> statement-breakpoint
CREATE TABLE `order_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`dish_id` text NOT NULL,
	`dish_name` text NOT NULL,
	`unit_price_fen` integer NOT NULL,
	`quantity` integer NOT NULL,
	`line_total_fen` integer NOT NULL,
	`elder_subsidy_fen` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_lines_order` ON `order_lines` (`order_id`);--> statement-breakpoint
CREATE TABLE `order_subsidies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`layer_key` text NOT NULL,
	`policy_version_id` text NOT NULL,
	`layer_id` text NOT NULL,
	`layer_name` text NOT NULL,
	`level` text NOT NULL,
	`payer` text NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_subsidies_order` ON `order_subsidies` (`order_id`);--> statement-breakpoint
CREATE INDEX `order_subsidies_layer` ON `order_subsidies` (`layer_key`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`canteen_id` text NOT NULL,
	`resident_id` text,
	`service_date` text NOT NULL,
	`meal_period` text NOT NULL,
	`fulfilment` text NOT NULL,
	`state` text NOT NULL,
	`identify_method` text NOT NULL,
	`pickup_number` integer NOT NULL,
	`meal_price_fen` integer NOT NULL,
	`elder_subsidy_fen` integer NOT NULL,
	`elder_pays_fen` integer NOT NULL,
	`operator_subsidy_fen` integer NOT NULL,
	`payment_method` text NOT NULL,
	`policy_version_ids` text NOT NULL,
	`device_id` text,
	`staff_user_id` text,
	`delivery_address` text,
	`created_at` text NOT NULL,
	`paid_at` text,
	`ready_at` text,
	`completed_at` text,
	`cancelled_at` text,
	`refunded_at` text,
	`request_hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orders_canteen_day` ON `orders` (`canteen_id`,`service_date`,`meal_period`);--> statement-breakpoint
CREATE INDEX `orders_resident` ON `orders` (`resident_id`,`service_date`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_pickup` ON `orders` (`canteen_id`,`service_date`,`meal_period`,`pickup_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_one_subsidised_meal` ON `orders` (`resident_id`,`service_date`,`meal_period`) WHERE elder_subsidy_fen > 0 AND state NOT IN ('cancelled', 'refunded');--> statement-breakpoint
CREATE INDEX `orders_created` ON `orders` (`created_at`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`contact` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`method` text NOT NULL,
	`direction` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`reference` text,
	`confirmed_by` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payments_order` ON `payments` (`order_id`);--> statement-breakpoint
CREATE TABLE `policy_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`policy_key` text NOT NULL,
	`version` integer NOT NULL,
	`level` text NOT NULL,
	`area_code` text NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`document` text NOT NULL,
	`effective_from` text NOT NULL,
	`effective_to` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`published_by` text,
	`published_at` text,
	`first_used_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `policy_versions_key_version` ON `policy_versions` (`policy_key`,`version`);--> statement-breakpoint
CREATE INDEX `policy_versions_area` ON `policy_versions` (`area_code`);--> statement-breakpoint
CREATE TABLE `price_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`dish_id` text NOT NULL,
	`old_price_fen` integer,
	`new_price_fen` integer NOT NULL,
	`reason` text NOT NULL,
	`approval_ref` text,
	`notice_from` text,
	`changed_by` text,
	`changed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `price_changes_dish` ON `price_changes` (`dish_id`);--> statement-breakpoint
CREATE TABLE `resident_categories` (
	`id` text PRIMARY KEY NOT NULL,
	`resident_id` text NOT NULL,
	`code` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`evidence` text NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`end_reason` text,
	`ended_by` text,
	`ended_at` text
);
--> statement-breakpoint
CREATE INDEX `resident_categories_resident` ON `resident_categories` (`resident_id`);--> statement-breakpoint
CREATE TABLE `resident_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`resident_id` text NOT NULL,
	`kind` text NOT NULL,
	`token_hash` text NOT NULL,
	`last4` text NOT NULL,
	`issued_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `resident_tokens_hash` ON `resident_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `resident_tokens_resident` ON `resident_tokens` (`resident_id`);--> statement-breakpoint
CREATE TABLE `residents` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`gender` text NOT NULL,
	`birth_date` text NOT NULL,
	`id_number_enc` text NOT NULL,
	`id_number_hash` text NOT NULL,
	`id_number_last4` text NOT NULL,
	`phone_enc` text,
	`phone_hash` text,
	`phone_last4` text,
	`hukou_area_code` text,
	`residence_area_code` text NOT NULL,
	`address` text,
	`care_level` integer DEFAULT 0 NOT NULL,
	`disability_grade` integer,
	`disability_level` text DEFAULT 'none' NOT NULL,
	`lives_alone` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`status_since` text,
	`diet_needs` text DEFAULT '[]' NOT NULL,
	`allergies` text DEFAULT '[]' NOT NULL,
	`pin_hash` text,
	`pin_failures` integer DEFAULT 0 NOT NULL,
	`pin_locked_until` text,
	`home_canteen_id` text,
	`emergency_contact` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `residents_id_number` ON `residents` (`id_number_hash`);--> statement-breakpoint
CREATE INDEX `residents_phone` ON `residents` (`phone_hash`);--> statement-breakpoint
CREATE INDEX `residents_home_canteen` ON `residents` (`home_canteen_id`);--> statement-breakpoint
CREATE INDEX `residents_residence` ON `residents` (`residence_area_code`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`revoked_at` text,
	`user_agent` text
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `set_meal_items` (
	`set_meal_id` text NOT NULL,
	`dish_id` text NOT NULL,
	`quantity` integer DEFAULT 1 NOT NULL,
	PRIMARY KEY(`set_meal_id`, `dish_id`)
);
--> statement-breakpoint
CREATE TABLE `user_canteens` (
	`user_id` text NOT NULL,
	`canteen_id` text NOT NULL,
	PRIMARY KEY(`user_id`, `canteen_id`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`scope_area_code` text,
	`organisation_id` text,
	`can_see_id_numbers` integer DEFAULT false NOT NULL,
	`must_change_password` integer DEFAULT true NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`password_changed_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `wallet_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`resident_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`order_id` text,
	`canteen_id` text,
	`method` text,
	`reference` text,
	`created_by` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `wallet_entries_resident` ON `wallet_entries` (`resident_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `wallet_entries_order_kind` ON `wallet_entries` (`order_id`,`kind`);