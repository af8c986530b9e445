-- migrate:up
CREATE TABLE mig_b (id int, note text DEFAULT 'semi;colon');
-- migrate:down
DROP TABLE mig_b;
