ALTER TABLE `orders` ADD `resident_category` text;--> statement-breakpoint
CREATE INDEX `orders_day_canteen` ON `orders` (`service_date`,`canteen_id`);--> statement-breakpoint
-- Orders placed before this migration: the category their resident held on the service date (same ranking as
-- shared/src/domain/categories.ts), or 'ordinary'.
UPDATE `orders` SET `resident_category` = COALESCE((
  SELECT rc.`code` FROM `resident_categories` rc
  WHERE rc.`resident_id` = `orders`.`resident_id` AND rc.`valid_from` <= `orders`.`service_date`
    AND (rc.`valid_to` IS NULL OR rc.`valid_to` >= `orders`.`service_date`)
  ORDER BY CASE rc.`code` WHEN 'tekun' THEN 1 WHEN 'dibao' THEN 2 WHEN 'dibao_edge' THEN 3 WHEN 'low_income' THEN 4
    WHEN 'youfu' THEN 5 WHEN 'jisheng_special' THEN 6 WHEN 'disabled' THEN 7 WHEN 'centenarian' THEN 8
    WHEN 'lives_alone' THEN 9 WHEN 'all_elderly_household' THEN 10 ELSE 99 END
  LIMIT 1), 'ordinary')
WHERE `resident_id` IS NOT NULL;
