-- vwb:improvement
-- Improvement on the reference design: nothing tied a vector row to its content row, so
-- duplicates could pile up. One vector row per content row, enforced. Fails with a unique
-- violation if duplicates already exist: remove them first (vwb health lists them).
-- migrate:up
CREATE UNIQUE INDEX topic_vectors_topic_id_unique ON topic_vectors (topic_id);
CREATE UNIQUE INDEX post_vectors_post_id_unique ON post_vectors (post_id);

-- migrate:down
DROP INDEX IF EXISTS post_vectors_post_id_unique;
DROP INDEX IF EXISTS topic_vectors_topic_id_unique;
