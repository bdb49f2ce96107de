-- 0020 evaluation bodies (评价机构): the appraisal centres, recognised enterprises and other
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

-- Certificate records (证书记录) as the appraisal system exports them (POST
-- /v1/admin/certificate-records, subsidyctl certificates load): who holds which certificate,
-- of which occupation and level, issued when and by which registered evaluation body, and
-- whether it is still valid or revoked.  The person is held only as the keyed hash of the ID
-- number (as employment_record, 0012).  A certificate is known by kind and number, as in
-- certificate (0014), so a claim's certificate joins its record (claim_certificate_record
-- below); a record sent again updates its row, and one marked revoked keeps when it was.
CREATE TABLE certificate_record (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id_hash     bytea NOT NULL CHECK (octet_length(id_hash) = 32),
    kind        text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    number      text NOT NULL CHECK (number = upper(btrim(number)) AND length(number) BETWEEN 1 AND 64),
    occupation  text REFERENCES occupation (code),
    level       text CHECK (level IN ('special_ability', 'level5', 'level4', 'level3', 'level2',
                    'level1', 'training_pass', 'special_operation')),
    issue_date  date NOT NULL,
    body_code   text NOT NULL REFERENCES evaluation_body (credit_code),
    status      text NOT NULL CHECK (status IN ('valid', 'revoked')),
    revoked_at  timestamptz,   -- when an import first said revoked (NULL while valid)
    source      text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    imported_by bigint,        -- token id
    CHECK ((status = 'revoked') = (revoked_at IS NOT NULL)),
    UNIQUE (kind, number)
);
CREATE INDEX certificate_record_person ON certificate_record (id_hash);
CREATE INDEX certificate_record_body ON certificate_record (body_code);
GRANT SELECT, INSERT ON certificate_record TO subsidy_app;
GRANT UPDATE (id_hash, occupation, level, issue_date, body_code, status, revoked_at, source,
              updated_at, imported_by) ON certificate_record TO subsidy_app;

-- Where a claim meets its certificate's record: the state the approver's checks read (a
-- revoked certificate stops its unpaid claims, a suspended or listed body holds them — with the
-- approver issue).  A claim without a certificate, or whose certificate has no record, has no row.
CREATE VIEW claim_certificate_record AS
    SELECT cl.id AS claim_id, k.id AS certificate_id, r.id AS record_id, r.status, r.revoked_at,
           r.body_code, r.issue_date
      FROM claim cl
      JOIN certificate k ON k.id = cl.certificate_id
      JOIN certificate_record r ON r.kind = k.kind AND r.number = k.number;
GRANT SELECT ON claim_certificate_record TO subsidy_app;
