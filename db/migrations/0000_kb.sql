CREATE TABLE `kb_area_translations` (
	`area_id` integer NOT NULL,
	`lang` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`area_id`, `lang`),
	FOREIGN KEY (`area_id`) REFERENCES `kb_areas`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `kb_areas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_areas_slug_unique` ON `kb_areas` (`slug`);--> statement-breakpoint
CREATE TABLE `kb_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`area_id` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`area_id`) REFERENCES `kb_areas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_entries_slug_unique` ON `kb_entries` (`slug`);--> statement-breakpoint
CREATE INDEX `kb_entries_area` ON `kb_entries` (`area_id`,`position`);--> statement-breakpoint
CREATE TABLE `kb_entry_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` integer NOT NULL,
	`lang` text NOT NULL,
	`version` integer NOT NULL,
	`question` text NOT NULL,
	`answer_md` text NOT NULL,
	`tags` text NOT NULL,
	`author` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`entry_id`) REFERENCES `kb_entries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_entry_revisions_version` ON `kb_entry_revisions` (`entry_id`,`lang`,`version`);--> statement-breakpoint
CREATE TABLE `kb_entry_translations` (
	`entry_id` integer NOT NULL,
	`lang` text NOT NULL,
	`question` text NOT NULL,
	`answer_md` text NOT NULL,
	`answer_html` text NOT NULL,
	`answer_text` text NOT NULL,
	`tags` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`published_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`entry_id`, `lang`),
	FOREIGN KEY (`entry_id`) REFERENCES `kb_entries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `kb_feedback_counts` (
	`entry_id` integer NOT NULL,
	`lang` text NOT NULL,
	`yes` integer DEFAULT 0 NOT NULL,
	`no` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`entry_id`, `lang`),
	FOREIGN KEY (`entry_id`) REFERENCES `kb_entries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `kb_feedback_votes` (
	`entry_id` integer NOT NULL,
	`voter` text NOT NULL,
	`lang` text NOT NULL,
	`helpful` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`entry_id`, `voter`),
	FOREIGN KEY (`entry_id`) REFERENCES `kb_entries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `kb_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
