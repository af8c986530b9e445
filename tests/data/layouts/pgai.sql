-- A pgai vectorizer on articles (pgai 0.9 and later: the store has no foreign key; a trigger
-- deletes chunks with their row). The view joins chunks to their source rows.
CREATE TABLE :schema.articles (id int PRIMARY KEY, title text NOT NULL, body text NOT NULL);
CREATE TABLE :schema.articles_embedding_store (
  embedding_uuid uuid NOT NULL PRIMARY KEY DEFAULT gen_random_uuid(),
  id int NOT NULL, chunk_seq int NOT NULL, chunk text NOT NULL,
  embedding vector(16) NOT NULL, UNIQUE (id, chunk_seq));
-- pgai writes STORAGE MAIN in the column (PostgreSQL 16); the same on 15:
ALTER TABLE :schema.articles_embedding_store ALTER COLUMN embedding SET STORAGE MAIN;
CREATE VIEW :schema.articles_embedding AS
  SELECT t.embedding_uuid, t.chunk_seq, t.chunk, t.embedding, t.id, s.title, s.body
  FROM :schema.articles_embedding_store t LEFT JOIN :schema.articles s ON t.id = s.id;
