-- The reference design's composite index from its performance notes, and its twin for posts.
-- migrate:up
CREATE INDEX topic_vectors_composite_idx ON topic_vectors (forum_name, topic_id);
CREATE INDEX post_vectors_composite_idx ON post_vectors (forum_name, post_id);

-- migrate:down
DROP INDEX IF EXISTS post_vectors_composite_idx;
DROP INDEX IF EXISTS topic_vectors_composite_idx;
