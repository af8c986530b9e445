-- An index built without a transaction, statement by statement.
-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY mig_b_id_idx ON mig_b (id);
CREATE INDEX CONCURRENTLY mig_a_id_idx ON mig_a (id);
-- migrate:down transaction:false
DROP INDEX CONCURRENTLY mig_a_id_idx;
DROP INDEX CONCURRENTLY mig_b_id_idx;
