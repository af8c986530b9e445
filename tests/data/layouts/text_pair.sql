-- A team's own pair keyed by text slugs, with column names the workbench has no list for.
CREATE TABLE :schema.docs (slug text PRIMARY KEY, heading text NOT NULL, contents text NOT NULL);
CREATE TABLE :schema.doc_vectors (doc_slug text NOT NULL UNIQUE REFERENCES :schema.docs (slug) ON DELETE CASCADE, embedding vector(16));
