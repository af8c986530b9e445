-- topics and topic_vectors exactly as the reference design's Knex migration produces them:
-- the schema builder's varchar(255), timestamptz and <table>_<column>_index names for topics;
-- the raw SQL's unbounded varchar, timestamp and _idx names for topic_vectors.
-- migrate:up
CREATE TABLE topics (
    id serial PRIMARY KEY,
    forum_name varchar(255) NOT NULL,
    title varchar(255) NOT NULL,
    content text NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb,
    created_at timestamptz DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamptz DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX topics_forum_name_index ON topics (forum_name);
CREATE INDEX topics_created_at_index ON topics (created_at);

CREATE TABLE topic_vectors (
    id SERIAL PRIMARY KEY,
    topic_id INTEGER REFERENCES topics(id) ON DELETE CASCADE,
    forum_name VARCHAR NOT NULL,
    vector vector(1536) NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX topic_vectors_forum_name_idx ON topic_vectors (forum_name);
CREATE INDEX topic_vectors_topic_id_idx ON topic_vectors (topic_id);

-- migrate:down
DROP TABLE IF EXISTS topic_vectors;
DROP TABLE IF EXISTS topics;
