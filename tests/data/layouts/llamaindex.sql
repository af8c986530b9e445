-- LlamaIndex PGVectorStore, table_name "docs" with hybrid search and an HNSW index.
CREATE TABLE :schema.data_docs (
  id bigserial PRIMARY KEY, text varchar NOT NULL, metadata_ json, node_id varchar, embedding vector(16),
  text_search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED);
CREATE INDEX docs_idx ON :schema.data_docs USING gin (text_search_tsv);
CREATE INDEX data_docs_embedding_idx ON :schema.data_docs USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
