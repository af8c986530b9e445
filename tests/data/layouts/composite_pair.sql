-- A team's own pair keyed by (tenant, id): the vector table references both columns, and its
-- primary key names them in the other order.
CREATE TABLE :schema.docs (tenant text NOT NULL, id int NOT NULL, body text NOT NULL, PRIMARY KEY (tenant, id));
CREATE TABLE :schema.doc_vectors (
  tenant text NOT NULL, doc_id int NOT NULL, embedding vector(16), PRIMARY KEY (doc_id, tenant),
  FOREIGN KEY (tenant, doc_id) REFERENCES :schema.docs (tenant, id) ON DELETE CASCADE);
