CREATE TABLE `kb_entry_drafts` (
	`entry_id` integer NOT NULL,
	`lang` text NOT NULL,
	`question` text NOT NULL,
	`answer_md` text NOT NULL,
	`tags` text NOT NULL,
	`updated_by` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`ticket_id` text,
	PRIMARY KEY(`entry_id`, `lang`),
	FOREIGN KEY (`entry_id`) REFERENCES `kb_entries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `kb_slug_redirects` (
	`kind` text NOT NULL,
	`old_slug` text NOT NULL,
	`target_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`kind`, `old_slug`)
);
--> statement-breakpoint
ALTER TABLE `kb_entries` ADD `source_lang` text DEFAULT 'nl' NOT NULL;--> statement-breakpoint
ALTER TABLE `kb_entries` ADD `edit_revision` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `kb_entries` ADD `from_ticket_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `kb_entries_from_ticket` ON `kb_entries` (`from_ticket_id`);--> statement-breakpoint
ALTER TABLE `kb_entry_revisions` ADD `action` text DEFAULT 'publish' NOT NULL;--> statement-breakpoint
ALTER TABLE `kb_entry_revisions` ADD `restored_from` integer;--> statement-breakpoint
ALTER TABLE `kb_entry_revisions` ADD `source_version` integer;--> statement-breakpoint
ALTER TABLE `kb_entry_translations` ADD `source_version` integer;--> statement-breakpoint
UPDATE `kb_entry_translations` SET `source_version` = (SELECT s.`version` FROM `kb_entry_translations` s JOIN `kb_entries` e ON e.`id` = s.`entry_id` WHERE s.`entry_id` = `kb_entry_translations`.`entry_id` AND s.`lang` = e.`source_lang`);--> statement-breakpoint
UPDATE `kb_entry_revisions` SET `action` = 'import' WHERE `author` = 'import';
