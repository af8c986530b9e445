-- Holds the Knex lock until the test releases advisory lock 4242: makes two runs overlap for sure.
-- migrate:up
SELECT pg_advisory_xact_lock(4242);
CREATE TABLE blocked_done (id int);
-- migrate:down
DROP TABLE blocked_done;
