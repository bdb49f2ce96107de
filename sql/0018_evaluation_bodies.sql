-- 0018 evaluation bodies (评价机构): the appraisal centres, recognised enterprises and other
-- bodies that issue vocational-skill certificates, registered like training institutions
-- (0005) under their unified social credit code, with a status and red/black list entries (the
-- national audit of 2022 found bodies issuing improper certificates; issue 12).  Kinds are the
-- evaluation_body_kind vocabulary of api/vocabulary.csv.
CREATE TABLE evaluation_body (
    credit_code text PRIMARY KEY CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    region      text NOT NULL REFERENCES region (code),
    kind        text NOT NULL CHECK (kind IN ('appraisal_centre', 'enterprise', 'other')),
    status      text NOT NULL DEFAULT 'normal' CHECK (status IN ('normal', 'suspended')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evaluation_body_region ON evaluation_body (region, credit_code);

-- The list entries have the very shape of institution_list_entry (0005): its columns, identity,
-- CHECKs and indexes, with the foreign key to the bodies.
CREATE TABLE evaluation_body_list_entry (
    LIKE institution_list_entry INCLUDING ALL,
    FOREIGN KEY (credit_code) REFERENCES evaluation_body (credit_code)
);

-- List entries are records: inserted, never changed.
GRANT SELECT, INSERT ON evaluation_body, evaluation_body_list_entry TO subsidy_app;
GRANT UPDATE (name, region, kind, status, updated_at) ON evaluation_body TO subsidy_app;
