CREATE TABLE "conversation_stats" (
	"conversation_id" text PRIMARY KEY NOT NULL,
	"message_count" integer NOT NULL,
	"last_message_at" bigint
);
--> statement-breakpoint
ALTER TABLE "conversation_stats" ADD CONSTRAINT "conversation_stats_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-written from here (drizzle-kit generated the table above). Triggers keep the stats in step in the
-- statement that inserts or deletes a message, cascades included. Messages never change conversation or
-- time after they are written, so updates need no trigger. The functions keep the search_path they were
-- created with: the store's schema, whatever the session inserting a message has on its own.
CREATE FUNCTION "conversation_stats_on_insert"() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
	INSERT INTO conversation_stats AS s (conversation_id, message_count, last_message_at)
	VALUES (NEW.conversation_id, 1, NEW.created_at)
	ON CONFLICT (conversation_id) DO UPDATE SET
		message_count = s.message_count + 1,
		last_message_at = GREATEST(s.last_message_at, EXCLUDED.last_message_at);
	RETURN NULL;
END
$$;
--> statement-breakpoint
-- The newest time is looked up again only when the message deleted may have been the newest, which also
-- keeps a newer message inserted concurrently (its upsert waits on this row, or this update on its).
CREATE FUNCTION "conversation_stats_on_delete"() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
	UPDATE conversation_stats AS s SET
		message_count = s.message_count - 1,
		last_message_at = CASE WHEN s.last_message_at > OLD.created_at THEN s.last_message_at
			ELSE (SELECT max(m.created_at) FROM messages m WHERE m.conversation_id = OLD.conversation_id) END
	WHERE s.conversation_id = OLD.conversation_id;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "messages_stats_insert" AFTER INSERT ON "messages"
	FOR EACH ROW EXECUTE FUNCTION "conversation_stats_on_insert"();
--> statement-breakpoint
CREATE TRIGGER "messages_stats_delete" AFTER DELETE ON "messages"
	FOR EACH ROW EXECUTE FUNCTION "conversation_stats_on_delete"();
--> statement-breakpoint
INSERT INTO conversation_stats (conversation_id, message_count, last_message_at)
	SELECT conversation_id, count(*), max(created_at) FROM messages GROUP BY conversation_id;
