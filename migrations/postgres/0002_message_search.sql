-- Full-text search over messages (hand-written: drizzle-kit does not express generated tsvector columns).
--
-- A stored generated column, so Postgres recomputes it in the statement that inserts or updates the message:
-- the index is always in step with `content`, in the same transaction, on every path. It is deliberately not
-- declared in `schema.ts`, which would put it into every select and into the inferred row type.
--
-- The 'simple' configuration lower-cases words and neither stems nor drops stop words, like the unicode61
-- tokenizer of the SQLite store.
ALTER TABLE "messages" ADD COLUMN "search_vector" tsvector
	GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "content")) STORED;
--> statement-breakpoint
CREATE INDEX "messages_search_vector_idx" ON "messages" USING gin ("search_vector");
