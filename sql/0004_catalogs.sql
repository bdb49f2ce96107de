-- 0004 subsidy catalogs (目录清单): per policy and year, occupation x level -> standard in fen,
-- shortage flag and the per-entry parameters a policy leaves to the catalog.  Every upload is a
-- new published version, immutable; the version in force on a date is the newest one of that
-- policy and year whose effective date has come.

CREATE TABLE catalog (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_id      text NOT NULL CHECK (policy_id ~ '^[a-z0-9-]{1,63}$'),
    year           int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    version        int NOT NULL CHECK (version > 0),
    effective_from date NOT NULL,
    source         text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    entry_count    int NOT NULL CHECK (entry_count >= 0),
    published_at   timestamptz NOT NULL DEFAULT now(),
    published_by   bigint,
    UNIQUE (policy_id, year, version)
);

CREATE TABLE catalog_entry (
    catalog_id      bigint NOT NULL REFERENCES catalog (id),
    occupation      text NOT NULL CHECK (occupation ~ '^[0-9A-Za-z._-]{1,31}$'),
    occupation_name text NOT NULL CHECK (length(occupation_name) BETWEEN 1 AND 100),
    level           text NOT NULL CHECK (level IN ('special_ability', 'level5', 'level4',
                                                   'level3', 'level2', 'level1',
                                                   'training_pass', 'special_operation')),
    standard_fen    bigint NOT NULL CHECK (standard_fen BETWEEN 0 AND 1000000000000),
    shortage        boolean NOT NULL DEFAULT false,
    -- parameters some policies leave to the catalog: apprentice tier (Jiaxing 4000-10000 a
    -- year), position subsidy per month (Ningbo), project hours cap (project training)
    apprentice_tier_fen    bigint CHECK (apprentice_tier_fen BETWEEN 0 AND 1000000000000),
    position_month_fen     bigint CHECK (position_month_fen BETWEEN 0 AND 1000000000000),
    project_hours_cap      int CHECK (project_hours_cap BETWEEN 0 AND 10000),
    PRIMARY KEY (catalog_id, occupation, level)
);

-- A published version is immutable: no update, no delete, not even by a mistaken grant.
CREATE FUNCTION catalog_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'published catalogs are immutable; publish a new version instead'
        USING ERRCODE = 'P0001';
END
$$;
CREATE TRIGGER catalog_immutable BEFORE UPDATE OR DELETE ON catalog
    FOR EACH ROW EXECUTE FUNCTION catalog_immutable();
CREATE TRIGGER catalog_entry_immutable BEFORE UPDATE OR DELETE ON catalog_entry
    FOR EACH ROW EXECUTE FUNCTION catalog_immutable();

GRANT SELECT, INSERT ON catalog, catalog_entry TO subsidy_app;
