-- 0008 claims: the people behind them, the claims themselves with their timeline, and the
-- per-person-year quota that holds "at most 3 a year" under concurrency.
--
-- The invariants of domain/WORKFLOW.md are kept here, not by a check-then-insert in the service:
--   * at most per_year (3) live training subsidies per person and calendar year: a claim that
--     counts takes a place in claim_quota with one conditional UPDATE (0 rows = exhausted), in the
--     same transaction as its state change, and gives it back when withdrawn or rejected;
--   * never two live claims for the same person, occupation and level: a unique partial index;
--   * once a year where a policy says so (Ningbo's living allowance): a unique partial index.
-- Which claim counts under which limit is the rule module's answer, stored with the claim.

-- A person, keyed by a keyed hash of the ID number (the key lives outside the database); the ID
-- number and phone are kept encrypted, with their masked forms for listings.
CREATE TABLE person (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id_hash             bytea NOT NULL UNIQUE CHECK (octet_length(id_hash) = 32),
    id_sealed           bytea NOT NULL,
    id_masked           text NOT NULL CHECK (id_masked ~ '^[0-9]{6}\*{8}[0-9]{3}[0-9X]$'),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    phone_sealed        bytea,
    phone_masked        text,
    -- the applicant account that registered this person; NULL while only an employer has
    owner_subject       text UNIQUE,
    hukou_region        text REFERENCES region (code),
    residence_region    text REFERENCES region (code),
    employment_region   text REFERENCES region (code),
    unemployment_region text REFERENCES region (code),
    training_region     text REFERENCES region (code),
    -- [{"group": "veteran", "evidence": "退役证 ..."}]
    groups              jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(groups) = 'array'),
    past_retirement_age boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((phone_sealed IS NULL) = (phone_masked IS NULL))
);
GRANT SELECT, INSERT ON person TO subsidy_app;
GRANT UPDATE (name, phone_sealed, phone_masked, owner_subject, hukou_region, residence_region,
              employment_region, unemployment_region, training_region, groups,
              past_retirement_age, updated_at) ON person TO subsidy_app;

-- The states that hold a place (sr_claim_state_is_live): submitted and not rejected or
-- withdrawn.
CREATE FUNCTION claim_state_live(state text) RETURNS boolean LANGUAGE sql IMMUTABLE
PARALLEL SAFE AS $$
    SELECT state NOT IN ('draft', 'rejected', 'withdrawn')
$$;

CREATE TABLE claim (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_role       text NOT NULL CHECK (owner_role IN ('applicant', 'enterprise')),
    owner_subject    text NOT NULL,
    person_id        bigint NOT NULL REFERENCES person (id),
    region           text NOT NULL REFERENCES region (code),
    employer         text,     -- credit code; an applicant's employer need not be registered
    kind             text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    occupation       text,
    level            text,
    state            text NOT NULL CHECK (state IN ('draft', 'submitted', 'in_review',
                         'returned', 'resubmitted', 'approved', 'in_notice', 'objected',
                         'payable', 'paid', 'rejected', 'withdrawn')),
    returned_before  boolean NOT NULL DEFAULT false,
    -- what the applicant gave (region, claim, employer; never an ID number or a phone)
    input            jsonb NOT NULL,
    -- set by the rule module when submitted
    year             int CHECK (year BETWEEN 2000 AND 2100),
    counts_quota     boolean NOT NULL DEFAULT false,
    unique_occupation_level boolean NOT NULL DEFAULT false,
    once_per_year    boolean NOT NULL DEFAULT false,
    policy_id        text,
    policy_version   int,
    catalog_id       bigint REFERENCES catalog (id),
    amount_fen       bigint CHECK (amount_fen BETWEEN 0 AND 1000000000000),
    decision         jsonb,
    review_due       date,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    submitted_at     timestamptz,
    CHECK (state = 'draft' OR (year IS NOT NULL AND policy_id IS NOT NULL AND decision IS NOT NULL)),
    CHECK (NOT unique_occupation_level OR (occupation IS NOT NULL AND level IS NOT NULL))
);
CREATE UNIQUE INDEX claim_same_occupation_level ON claim (person_id, occupation, level)
    WHERE unique_occupation_level AND claim_state_live(state);
CREATE UNIQUE INDEX claim_once_per_year ON claim (person_id, year, kind)
    WHERE once_per_year AND claim_state_live(state);
CREATE INDEX claim_owner ON claim (owner_role, owner_subject, id);
CREATE INDEX claim_person ON claim (person_id, id);
CREATE INDEX claim_region_state ON claim (region, state, id);
GRANT SELECT, INSERT ON claim TO subsidy_app;
GRANT UPDATE (region, employer, kind, occupation, level, state, returned_before, input, year,
              counts_quota, unique_occupation_level, once_per_year, policy_id,
              policy_version, catalog_id, amount_fen, decision, review_due, updated_at,
              submitted_at) ON claim TO subsidy_app;

-- One place per live counting claim of a person in a calendar year.
CREATE TABLE claim_quota (
    person_id bigint NOT NULL REFERENCES person (id),
    year      int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    used      int NOT NULL CHECK (used >= 0),
    PRIMARY KEY (person_id, year)
);
GRANT SELECT, INSERT ON claim_quota TO subsidy_app;
GRANT UPDATE (used) ON claim_quota TO subsidy_app;

-- The timeline: every step of a claim (who, when, what, why, by which rule version).
CREATE TABLE claim_event (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    claim_id       bigint NOT NULL REFERENCES claim (id),
    at             timestamptz NOT NULL DEFAULT now(),
    actor          bigint,   -- token id
    actor_role     text NOT NULL,
    action         text NOT NULL CHECK (action ~ '^[a-z_]{1,32}$'),
    from_state     text,
    to_state       text NOT NULL,
    reason         text CHECK (length(reason) <= 500),
    policy_id      text,
    policy_version int,
    amount_fen     bigint,
    request_id     text
);
CREATE INDEX claim_event_claim ON claim_event (claim_id, id);
GRANT SELECT, INSERT ON claim_event TO subsidy_app;
