-- 0010 occupations and certificates: the reference list of occupations (国家职业分类大典) that
-- catalogs and claims must use, and certificates paid once.
--
-- An occupation code has one spelling, N-NN-NN-NN (sr_occupation_canonical); the service writes
-- it so and this table holds only that.  An admin loads the list a city uses (POST
-- /v1/admin/occupations, subsidyctl occupations load); a reload upserts the names.
CREATE TABLE occupation (
    code       text PRIMARY KEY CHECK (code ~ '^[1-8]-[0-9]{2}-[0-9]{2}-[0-9]{2}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    source     text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT ON occupation TO subsidy_app;
GRANT UPDATE (name, source, updated_at) ON occupation TO subsidy_app;

-- A catalog names only listed occupations (the service names every unknown one first; this is
-- the backstop).  NOT VALID: versions published before the list existed stay as they are.
ALTER TABLE catalog_entry ADD CONSTRAINT catalog_entry_occupation
    FOREIGN KEY (occupation) REFERENCES occupation (code) NOT VALID;
