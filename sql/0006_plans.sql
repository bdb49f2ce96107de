-- 0006 plan targets: the annex tables of the policies (person-times by district and by
-- department, per year), the figures the progress report compares against.  Loaded from
-- sql/ref/plans/*.csv by `subsidyctl plans load` (run by the set-up), each load audited.

CREATE TABLE plan_target (
    policy_id   text NOT NULL CHECK (policy_id ~ '^[a-z0-9-]{1,63}$'),
    annex       text NOT NULL CHECK (length(annex) BETWEEN 1 AND 32),
    dimension   text NOT NULL CHECK (dimension IN ('district', 'department')),
    unit_name   text NOT NULL CHECK (length(unit_name) BETWEEN 1 AND 100),
    region_code text REFERENCES region (code),
    year        int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    measure     text NOT NULL CHECK (measure ~ '^[a-z_]{1,32}$'),
    target      bigint NOT NULL CHECK (target >= 0),
    note        text NOT NULL DEFAULT '',
    source_file text NOT NULL,
    PRIMARY KEY (policy_id, annex, dimension, unit_name, year, measure),
    CHECK ((dimension = 'district') = (region_code IS NOT NULL))
);
GRANT SELECT ON plan_target TO subsidy_app;
