-- Full-text search over messages (hand-written: drizzle-kit cannot express FTS5).
--
-- An external-content FTS5 table: it indexes `messages.content` without storing a second copy, and reads
-- the text back from `messages` (by rowid) for snippet(). Triggers keep it in step inside the statement that
-- writes the message, so every path is covered in the same transaction: inserts, content updates, deletes,
-- and the deletes that cascade from a conversation, project or user. (A contentless table would make
-- snippet() impossible; a table with its own copy would double the stored text.)
--
-- The rowid of `messages` (a rowid table with a text primary key) is the join key. It is stable: rows are
-- never updated by rowid, and VACUUM keeps the rowids of a table that has an index. A later migration that
-- rebuilds `messages` (copy into a new table and rename) drops these triggers and renumbers rows: it must
-- re-run the three CREATE TRIGGER statements below and then
--   INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
--
-- unicode61 without diacritics removal and without stemming matches the Postgres 'simple' configuration:
-- words are compared lower-cased, as written.
CREATE VIRTUAL TABLE `messages_fts` USING fts5(
	content,
	content = 'messages',
	content_rowid = 'rowid',
	tokenize = 'unicode61 remove_diacritics 0'
);
--> statement-breakpoint
CREATE TRIGGER `messages_fts_insert` AFTER INSERT ON `messages` BEGIN
	INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, new.content);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_delete` AFTER DELETE ON `messages` BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_update` AFTER UPDATE OF content ON `messages`
WHEN old.content IS NOT new.content BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
	INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, new.content);
END;
--> statement-breakpoint
-- Rows written before this migration (none in a fresh database).
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
