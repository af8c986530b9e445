-- migrate:up
CREATE TABLE mig_never (id int);
SELECT 1 / 0;
-- migrate:down
DROP TABLE mig_never;
