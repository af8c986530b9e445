-- vwb:improvement
-- Improvement on the reference design: HNSW indexes for cosine distance (<=>), built
-- CONCURRENTLY so a live table keeps taking writes; that cannot run inside a transaction.
-- Trade-offs: only ORDER BY vector <=> $1 LIMIT k can use them (the reference design's own search,
-- L2 inside 1/(1+d), cannot), and every insert now also updates a graph (one-row inserts ~1.6x
-- slower in a measurement on the reference service).
-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS topic_vectors_vector_hnsw_idx
    ON topic_vectors USING hnsw (vector vector_cosine_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS post_vectors_vector_hnsw_idx
    ON post_vectors USING hnsw (vector vector_cosine_ops);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS post_vectors_vector_hnsw_idx;
DROP INDEX CONCURRENTLY IF EXISTS topic_vectors_vector_hnsw_idx;
