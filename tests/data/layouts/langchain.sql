-- langchain_postgres.PGVector: a collection table and an embedding table keyed by a varchar id.
CREATE TABLE :schema.langchain_pg_collection (
  uuid uuid PRIMARY KEY, name varchar NOT NULL UNIQUE, cmetadata json);
CREATE TABLE :schema.langchain_pg_embedding (
  id varchar PRIMARY KEY,
  collection_id uuid REFERENCES :schema.langchain_pg_collection (uuid) ON DELETE CASCADE,
  embedding vector(16), document varchar, cmetadata jsonb);
CREATE UNIQUE INDEX ix_langchain_pg_embedding_id ON :schema.langchain_pg_embedding (id);
CREATE INDEX ix_cmetadata_gin ON :schema.langchain_pg_embedding USING gin (cmetadata jsonb_path_ops);
