-- 0005 registries: enterprises, training institutions with their status and red/black list
-- entries, and the trade-friction list (受经贸摩擦影响企业目录).  Credit codes are checked
-- (GB 32100 check character) by the service; the CHECKs here keep the alphabet and length.

CREATE TABLE enterprise (
    credit_code text PRIMARY KEY CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    region      text NOT NULL REFERENCES region (code),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enterprise_region ON enterprise (region, credit_code);

-- A suspended or black-listed institution cannot file classes (enforced with class filing).
CREATE TABLE institution (
    credit_code text PRIMARY KEY CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    region      text NOT NULL REFERENCES region (code),
    status      text NOT NULL DEFAULT 'normal' CHECK (status IN ('normal', 'suspended')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX institution_region ON institution (region, credit_code);

CREATE TABLE institution_list_entry (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code text NOT NULL REFERENCES institution (credit_code),
    list        text NOT NULL CHECK (list IN ('red', 'black')),
    reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    valid_from  date NOT NULL,
    valid_to    date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  bigint,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX institution_list_entry_code ON institution_list_entry (credit_code, id);

CREATE TABLE trade_friction (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code text NOT NULL REFERENCES enterprise (credit_code),
    valid_from  date NOT NULL,
    valid_to    date,
    source      text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  bigint,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX trade_friction_code ON trade_friction (credit_code, id);

-- List entries and trade-friction listings are records: inserted, never changed.
GRANT SELECT, INSERT ON enterprise, institution, institution_list_entry, trade_friction
    TO subsidy_app;
GRANT UPDATE (name, region, updated_at) ON enterprise TO subsidy_app;
GRANT UPDATE (name, region, status, updated_at) ON institution TO subsidy_app;
