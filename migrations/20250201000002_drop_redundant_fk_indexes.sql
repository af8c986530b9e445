-- vwb:improvement
-- With one vector row per content row enforced by unique indexes, the reference design's plain
-- indexes on the same foreign keys only cost writes: drop them (down puts them back).
-- migrate:up
DROP INDEX IF EXISTS topic_vectors_topic_id_idx;
DROP INDEX IF EXISTS post_vectors_post_id_idx;

-- migrate:down
CREATE INDEX IF NOT EXISTS topic_vectors_topic_id_idx ON topic_vectors (topic_id);
CREATE INDEX IF NOT EXISTS post_vectors_post_id_idx ON post_vectors (post_id);
