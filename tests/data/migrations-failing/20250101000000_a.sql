-- migrate:up
CREATE TABLE mig_a (id int);
-- migrate:down
DROP TABLE mig_a;
