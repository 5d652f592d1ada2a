-- The search index is written by the statements that write messages, no longer by triggers on insert and
-- on update (hand-written, like 0002).
--
-- FTS5 flushes its pending index entries to disk at every savepoint, and a statement that fires a trigger
-- writing a virtual table opens one: every message written made a new index segment (and the merges that
-- follow), most of what writing a message cost. Written as a statement of its own, the entries of all the
-- messages of a transaction are flushed once, at commit.
--
-- The index is still in step within the transaction that writes the message: `messages` is written only by
-- `packages/adapters/src/sqlite/message-writes.ts`, which indexes the content it inserts and re-indexes the
-- content it replaces, in the same transaction; the conformance suite searches what it wrote. Deletes keep
-- their trigger (`messages_fts_delete`, from 0002): they are rare, and cascades from a conversation,
-- project or user delete rows without any statement of the adapter's. Every row stays indexed, an empty
-- content too, so the index is what 'rebuild' would make of the table.
DROP TRIGGER `messages_fts_insert`;
--> statement-breakpoint
DROP TRIGGER `messages_fts_update`;
