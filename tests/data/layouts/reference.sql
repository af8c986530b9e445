-- The reference design's tables (REFERENCE-SCHEMA.md): content and vectors apart, forum_name copied.
CREATE TABLE :schema.topics (
  id bigserial PRIMARY KEY, forum_name varchar(255) NOT NULL, title text, content text NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}', created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE :schema.topic_vectors (
  id bigserial PRIMARY KEY, topic_id bigint NOT NULL REFERENCES :schema.topics (id) ON DELETE CASCADE,
  forum_name varchar(255) NOT NULL, vector vector(16) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX ON :schema.topic_vectors (topic_id);
CREATE INDEX ON :schema.topic_vectors (forum_name);
CREATE INDEX ON :schema.topic_vectors USING hnsw (vector vector_cosine_ops);
