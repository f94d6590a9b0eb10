CREATE TABLE `ticket_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` text NOT NULL,
	`author_id` text,
	`author_kind` text NOT NULL,
	`internal` integer DEFAULT false NOT NULL,
	`body` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `ticket_messages_ticket` ON `ticket_messages` (`ticket_id`,`id`);--> statement-breakpoint
CREATE TABLE `ticket_sender_confirmations` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`secret_hash` blob NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ticket_sender_confirmations_ticket` ON `ticket_sender_confirmations` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`customer_id` text,
	`sender_email` text NOT NULL,
	`sender_name` text DEFAULT '' NOT NULL,
	`unverified_sender` integer DEFAULT false NOT NULL,
	`sender_verified_at` integer,
	`subject` text NOT NULL,
	`area_slug` text,
	`locale` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`topic` text DEFAULT 'question' NOT NULL,
	`assignee_id` text,
	`context_entry_slug` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`resolved_at` integer,
	`closed_at` integer,
	`rating` text,
	`rating_comment` text,
	`rated_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_number` ON `tickets` (`number`);--> statement-breakpoint
CREATE INDEX `tickets_status_updated` ON `tickets` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_status_updated` ON `tickets` (`assignee_id`,`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_customer_updated` ON `tickets` (`customer_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_sender_email` ON `tickets` (`sender_email`);