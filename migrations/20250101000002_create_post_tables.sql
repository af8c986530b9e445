-- posts and post_vectors in the same style as topics (see REFERENCE-SCHEMA: posts through the
-- schema builder, post_vectors through raw SQL).
-- migrate:up
CREATE TABLE posts (
    id serial PRIMARY KEY,
    topic_id integer,
    forum_name varchar(255) NOT NULL,
    content text NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb,
    created_at timestamptz DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamptz DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT posts_topic_id_foreign FOREIGN KEY (topic_id) REFERENCES topics(id) ON DELETE CASCADE
);
CREATE INDEX posts_topic_id_index ON posts (topic_id);
CREATE INDEX posts_forum_name_index ON posts (forum_name);
CREATE INDEX posts_created_at_index ON posts (created_at);

CREATE TABLE post_vectors (
    id SERIAL PRIMARY KEY,
    post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    forum_name VARCHAR NOT NULL,
    vector vector(1536) NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX post_vectors_forum_name_idx ON post_vectors (forum_name);
CREATE INDEX post_vectors_post_id_idx ON post_vectors (post_id);

-- migrate:down
DROP TABLE IF EXISTS post_vectors;
DROP TABLE IF EXISTS posts;
