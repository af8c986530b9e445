-- vwb:improvement
-- A vector(1536) value is 6,152 bytes, over the 2 kB TOAST threshold, so with pgvector's default
-- (EXTERNAL) storage it lives out of line and every ANN candidate costs a TOAST fetch. PLAIN keeps
-- it in the heap row (one row still fits an 8 kB page); VACUUM FULL rewrites the rows already
-- stored. Cost: VACUUM FULL holds an ACCESS EXCLUSIVE lock on each table while it copies it, so
-- run this in a quiet window on a large table. Outside a transaction: VACUUM refuses to run in one.
-- Trade-off: a query that scans the whole table (the reference design's own search SQL) now reads
-- every vector with its row, ~2x slower in a measurement on the reference service; index scans gain.
-- migrate:up transaction:false
ALTER TABLE topic_vectors ALTER COLUMN vector SET STORAGE PLAIN;
ALTER TABLE post_vectors ALTER COLUMN vector SET STORAGE PLAIN;
VACUUM FULL topic_vectors;
VACUUM FULL post_vectors;

-- migrate:down
-- EXTERNAL is the storage pgvector declares for its type; rows stay where they are until rewritten.
ALTER TABLE topic_vectors ALTER COLUMN vector SET STORAGE EXTERNAL;
ALTER TABLE post_vectors ALTER COLUMN vector SET STORAGE EXTERNAL;
