CREATE TABLE `conversation_stats` (
	`conversation_id` text PRIMARY KEY NOT NULL,
	`message_count` integer NOT NULL,
	`last_message_at` integer,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand-written from here (drizzle-kit generated the table above). Triggers keep the stats in step in the
-- statement that inserts or deletes a message, cascades included. Messages never change conversation or
-- time after they are written, so updates need no trigger.
CREATE TRIGGER `messages_stats_insert` AFTER INSERT ON `messages` BEGIN
	INSERT INTO conversation_stats (conversation_id, message_count, last_message_at)
	VALUES (new.conversation_id, 1, new.created_at)
	ON CONFLICT (conversation_id) DO UPDATE SET
		message_count = message_count + 1,
		last_message_at = max(coalesce(last_message_at, excluded.last_message_at), excluded.last_message_at);
END;
--> statement-breakpoint
-- The newest time is looked up again only when the message deleted may have been the newest.
CREATE TRIGGER `messages_stats_delete` AFTER DELETE ON `messages` BEGIN
	UPDATE conversation_stats SET
		message_count = message_count - 1,
		last_message_at = CASE WHEN last_message_at > old.created_at THEN last_message_at
			ELSE (SELECT max(created_at) FROM messages WHERE conversation_id = old.conversation_id) END
	WHERE conversation_id = old.conversation_id;
END;
--> statement-breakpoint
INSERT INTO conversation_stats (conversation_id, message_count, last_message_at)
	SELECT conversation_id, count(*), max(created_at) FROM messages GROUP BY conversation_id;
