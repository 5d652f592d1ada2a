-- Nothing to change on Postgres: this tag keeps the two dialects' migrations in step. On SQLite it moves
-- the search index writes from triggers into the statements that write messages (FTS5 flushed an index
-- segment per message from a trigger); the Postgres index is a generated column, computed in the writing
-- statement already (0002).
SELECT 1;
