-- 0021 class filing (开班备案, src/rules/domain/WORKFLOW.md "Class"): a training institution
-- files a class of a policy, for an occupation and level of the catalog in force or for a
-- project, with its roster of trainees (persons by the keyed hash of the ID number, as claims
-- have them), its timeline, and the filing lead time the department sets per policy or region.
-- The roster-stuffing guard is a unique index here, so that it holds when filings race: a person
-- is on at most one live roster per occupation and level (or per project).

-- The states whose rosters hold their trainees' places (api/vocabulary.csv, tag "live"): every
-- state but rejected and cancelled.
CREATE FUNCTION class_state_live(state text) RETURNS boolean LANGUAGE sql IMMUTABLE
PARALLEL SAFE AS $$
    SELECT state NOT IN ('rejected', 'cancelled')
$$;
GRANT EXECUTE ON FUNCTION class_state_live(text) TO subsidy_app;

-- How many working days before its start a class must be filed (0 when no row applies).  A row
-- names a policy, a region, or both; the largest of the rows that apply to a class counts.
CREATE TABLE class_filing_lead (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_id  text CHECK (policy_id ~ '^[a-z0-9-]{1,63}$'),
    region     text REFERENCES region (code),
    days       int NOT NULL CHECK (days BETWEEN 0 AND 250),
    note       text CHECK (length(note) <= 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (policy_id IS NOT NULL OR region IS NOT NULL),
    UNIQUE NULLS NOT DISTINCT (policy_id, region)
);
-- subsidyctl class-lead set writes them (audited); the daemon only reads them
GRANT SELECT, INSERT ON class_filing_lead TO subsidy_app;
GRANT UPDATE (days, note) ON class_filing_lead TO subsidy_app;

CREATE TABLE class (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution   text NOT NULL REFERENCES institution (credit_code),
    policy_id     text NOT NULL CHECK (policy_id ~ '^[a-z0-9-]{1,63}$'),
    -- an occupation and level of the catalog in force, or a project of the project list
    occupation    text CHECK (occupation ~ '^[0-9A-Za-z._-]{1,31}$'),
    level         text CHECK (level IN ('special_ability', 'level5', 'level4', 'level3',
                                        'level2', 'level1', 'training_pass',
                                        'special_operation')),
    catalog_id    bigint REFERENCES catalog (id),
    project_code  text CHECK (project_code ~ '^[0-9A-Za-z._-]{1,40}$'),
    project_name  text CHECK (length(project_name) BETWEEN 1 AND 100),
    kind          text NOT NULL CHECK (kind IN ('qualification', 'project', 'safety',
                                                'entrepreneurship', 'pre_job',
                                                'apprenticeship')),
    region        text NOT NULL REFERENCES region (code),
    start_date    date NOT NULL,
    end_date      date NOT NULL,
    class_hours   int NOT NULL CHECK (class_hours BETWEEN 1 AND 10000),
    place         text NOT NULL CHECK (length(place) BETWEEN 1 AND 200),
    teachers      jsonb NOT NULL CHECK (jsonb_typeof(teachers) = 'array'),
    capacity      int NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    payee         text NOT NULL CHECK (payee IN ('person', 'institution', 'enterprise')),
    state         text NOT NULL DEFAULT 'filed' CHECK (state IN ('filed', 'accepted', 'running',
                      'completed', 'assessed', 'closed', 'rejected', 'cancelled')),
    lead_days     int NOT NULL CHECK (lead_days BETWEEN 0 AND 250),
    filed_on      date NOT NULL,            -- the filing's day in Asia/Shanghai
    filed_at      timestamptz NOT NULL DEFAULT now(),
    filed_by      bigint,                   -- token id
    deadline      date NOT NULL,            -- 承诺时限 of the acceptance
    deadline_estimated boolean NOT NULL DEFAULT false,
    -- what the roster-stuffing guard compares (copied onto each roster entry)
    guard_key     text NOT NULL GENERATED ALWAYS AS (
                      CASE WHEN project_code IS NULL THEN 'occupation:' || occupation || '/' || level
                           ELSE 'project:' || project_code END) STORED,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (end_date >= start_date),
    CHECK ((occupation IS NOT NULL AND level IS NOT NULL AND project_code IS NULL) OR
           (occupation IS NULL AND level IS NULL AND project_code IS NOT NULL
            AND project_name IS NOT NULL))
);
CREATE INDEX class_institution ON class (institution, id);
CREATE INDEX class_region ON class (region, id);
GRANT SELECT, INSERT ON class TO subsidy_app;
GRANT UPDATE (state, updated_at) ON class TO subsidy_app;

-- A trainee on a class's roster.  guard_key and live are the class's, denormalised so that one
-- unique index holds the roster-stuffing rule across classes; live follows the class's state
-- (the trigger below).  A removed entry stays, with when and by whom.
CREATE TABLE class_roster_entry (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_id   bigint NOT NULL REFERENCES class (id),
    person_id  bigint NOT NULL REFERENCES person (id),
    row_no     int NOT NULL CHECK (row_no BETWEEN 1 AND 10000),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 50), -- as the institution sent it
    guard_key  text NOT NULL,
    live       boolean NOT NULL DEFAULT true,
    added_at   timestamptz NOT NULL DEFAULT now(),
    added_by   bigint,
    removed_at timestamptz,
    removed_by bigint
);
CREATE UNIQUE INDEX class_roster_stuffing ON class_roster_entry (person_id, guard_key)
    WHERE live AND removed_at IS NULL;
CREATE INDEX class_roster_class ON class_roster_entry (class_id, row_no);
GRANT SELECT, INSERT ON class_roster_entry TO subsidy_app;
GRANT UPDATE (row_no, removed_at, removed_by, live) ON class_roster_entry TO subsidy_app;

CREATE FUNCTION class_roster_follows_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE class_roster_entry SET live = class_state_live(NEW.state)
     WHERE class_id = NEW.id AND live <> class_state_live(NEW.state);
    RETURN NULL;
END
$$;
CREATE TRIGGER class_roster_follows_state AFTER UPDATE OF state ON class
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION class_roster_follows_state();

-- The timeline: every step of a class (who, when, what, why).
CREATE TABLE class_event (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_id   bigint NOT NULL REFERENCES class (id),
    at         timestamptz NOT NULL DEFAULT now(),
    actor      bigint,   -- token id
    actor_role text NOT NULL,
    action     text NOT NULL CHECK (action ~ '^[a-z_]{1,32}$'),
    from_state text,
    to_state   text NOT NULL,
    reason     text CHECK (length(reason) <= 500),
    detail     jsonb,    -- counts of a roster change: {added, removed, kept}
    request_id text
);
CREATE INDEX class_event_class ON class_event (class_id, id);
GRANT SELECT, INSERT ON class_event TO subsidy_app;
