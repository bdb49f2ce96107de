-- 0034 bulk review jobs (src/flow/review_job.c; issue 13 "Decisions"): for sets larger than one
-- request of POST /v1/review/bulk takes (10,000 claims of a class or of a queue filter), an
-- approver records a job — its items are the claim ids the selection named in the approver's
-- regions at that moment — and the daemon's worker decides them one at a time, each in its own
-- short transaction by the single decision's step, never one transaction or one lock for the
-- set.  An item is taken with FOR UPDATE SKIP LOCKED and its answer stored in the transaction
-- that decides it, so two daemons share a job, a kill -9 loses nothing decided, and no claim is
-- decided twice.  The counts are read from the items (no counter row every item would update:
-- two workers would queue on it, and a cancel would wait on it).
CREATE TABLE review_job (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_id     bigint NOT NULL REFERENCES token (id),  -- the approver the items are decided as
    regions      text[] NOT NULL,                        -- the approver's regions when recorded
    action       text NOT NULL CHECK (action IN ('approve', 'reject')),
    reason       text CHECK (length(reason) BETWEEN 1 AND 500),
    reason_codes jsonb,
    selection    jsonb NOT NULL,                         -- as the request gave it
    state        text NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'running', 'done', 'cancelled', 'failed')),
    total        int NOT NULL CHECK (total BETWEEN 1 AND 1000000),
    failure      int,                                    -- api/errors.csv code: why it failed
    request_id   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    CHECK ((state = 'failed') = (failure IS NOT NULL)),
    CHECK ((state IN ('done', 'cancelled', 'failed')) = (finished_at IS NOT NULL))
);
CREATE INDEX review_job_open ON review_job (id) WHERE state IN ('queued', 'running');
GRANT SELECT, INSERT ON review_job TO subsidy_app;
GRANT UPDATE (state, failure, started_at, finished_at) ON review_job TO subsidy_app;

CREATE TABLE review_job_item (
    job_id     bigint NOT NULL REFERENCES review_job (id),
    -- no foreign key: its check would take a KEY SHARE lock on every claim of the set while the
    -- job is recorded, which a decision's FOR UPDATE waits for (and a claim held locked would
    -- fail the recording); the items are waiting claims, never drafts, and only drafts are
    -- deleted
    claim_id   bigint NOT NULL,
    outcome    text NOT NULL DEFAULT 'pending'
               CHECK (outcome IN ('pending', 'approved', 'rejected', 'refused', 'failed',
                                  'cancelled')),
    status     int CHECK (status BETWEEN 200 AND 599),   -- the item's HTTP status
    answer     jsonb,                                    -- the item's answer, as the bulk route's
    decided_at timestamptz,
    PRIMARY KEY (job_id, claim_id),
    CHECK ((outcome = 'pending' OR outcome = 'cancelled') = (answer IS NULL))
);
-- what the workers take next, and nothing else: decided items leave this index
CREATE INDEX review_job_item_pending ON review_job_item (job_id, claim_id)
    WHERE outcome = 'pending';
GRANT SELECT, INSERT ON review_job_item TO subsidy_app;
GRANT UPDATE (outcome, status, answer, decided_at) ON review_job_item TO subsidy_app;
