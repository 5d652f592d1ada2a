-- Nothing to change on Postgres: this tag keeps the two dialects' migrations in step. On SQLite it moves
-- the stats upsert of an inserted message from a trigger into the statement list that writes the message
-- (the SQLite of `bun:sqlite` recompiled every insert that fired the trigger). Postgres keeps its trigger.
SELECT 1;
