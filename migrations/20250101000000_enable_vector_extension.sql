-- The pgvector extension (needs a superuser, or a role allowed to create it).
-- migrate:up
CREATE EXTENSION IF NOT EXISTS vector;

-- migrate:down
DROP EXTENSION IF EXISTS vector;
