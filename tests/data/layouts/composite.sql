-- Passages keyed by (document, sequence): a composite primary key.
CREATE TABLE :schema.passages (doc text NOT NULL, seq int NOT NULL, passage text NOT NULL, embedding vector(16), PRIMARY KEY (doc, seq));
