-- 0014 occupations and certificates: the reference list of occupations (国家职业分类大典) that
-- catalogs and claims must use, and certificates paid once (at most one live claim of each
-- subsidy kind per certificate, one person per certificate).
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

-- A certificate is paid once.  It is known by kind and number (trimmed, upper-case) and, where
-- a policy has one, its issuing body (no claim names an issuing body yet, so issuer is NULL);
-- it belongs to the person who first submitted a claim on it, and backs at most one live claim
-- of each subsidy kind (Jiaxing pays the appraisal subsidy, 五(十一), beside the training
-- subsidy for the same certificate).  A withdrawn or rejected claim frees its place.
CREATE TABLE certificate (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    number     text NOT NULL CHECK (number = upper(btrim(number)) AND length(number) BETWEEN 1 AND 64),
    issuer     text CHECK (length(issuer) BETWEEN 1 AND 200),
    person_id  bigint NOT NULL REFERENCES person (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX certificate_once ON certificate (kind, number, (coalesce(issuer, '')));
GRANT SELECT, INSERT ON certificate TO subsidy_app;
-- the insert-or-find takes the row's lock with a no-op update of kind
GRANT UPDATE (kind) ON certificate TO subsidy_app;

ALTER TABLE claim ADD COLUMN certificate_id bigint REFERENCES certificate (id);
GRANT UPDATE (certificate_id) ON claim TO subsidy_app;
CREATE UNIQUE INDEX claim_certificate_once ON claim (certificate_id, kind)
    WHERE certificate_id IS NOT NULL AND claim_state_live(state);

-- "Never two live claims for the same occupation and level" compares what the policy row names
-- (sr_trace.same_key): "6-18-02-04/level4" for occupational kinds as before, the kind for
-- veterans' training, kind and variant for seafarers', fishing crew's certificates and
-- IYB/SYB, which name no occupation.  The index moves from (occupation, level) to that key.
ALTER TABLE claim ADD COLUMN same_key text CHECK (length(same_key) BETWEEN 1 AND 64);
UPDATE claim SET same_key = occupation || '/' || level WHERE unique_occupation_level;
DO $$
DECLARE n text;
BEGIN
    SELECT conname INTO n FROM pg_constraint
     WHERE conrelid = 'claim'::regclass AND contype = 'c'
       AND pg_get_constraintdef(oid) LIKE '%unique_occupation_level%';
    EXECUTE format('ALTER TABLE claim DROP CONSTRAINT %I', n);
END
$$;
ALTER TABLE claim ADD CONSTRAINT claim_same_key_given
    CHECK (NOT unique_occupation_level OR same_key IS NOT NULL);
DROP INDEX claim_same_occupation_level;
CREATE UNIQUE INDEX claim_same_key ON claim (person_id, same_key)
    WHERE unique_occupation_level AND claim_state_live(state);
GRANT UPDATE (same_key) ON claim TO subsidy_app;
