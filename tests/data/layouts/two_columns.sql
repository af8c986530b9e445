-- Two models' vectors side by side, of different dimensions and types, and a binary one.
CREATE TABLE :schema.papers (id bigint PRIMARY KEY, abstract text NOT NULL, emb_small vector(8), emb_large halfvec(24), emb_bits bit(64));
CREATE INDEX ON :schema.papers USING hnsw (emb_large halfvec_cosine_ops);
