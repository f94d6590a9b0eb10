CREATE TABLE `live_presence` (
	`channel` text NOT NULL,
	`member` text NOT NULL,
	`user_id` text NOT NULL,
	`last_seen_at` integer NOT NULL,
	PRIMARY KEY(`channel`, `member`)
);
--> statement-breakpoint
CREATE INDEX `live_presence_seen` ON `live_presence` (`last_seen_at`);--> statement-breakpoint
CREATE TABLE `ticket_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` text NOT NULL,
	`seq` integer NOT NULL,
	`customer_seq` integer,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_events_seq` ON `ticket_events` (`ticket_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_events_customer_seq` ON `ticket_events` (`ticket_id`,`customer_seq`);