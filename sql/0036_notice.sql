-- 0036 public notice (结果公示) with objections (issue 14 "Public notice"; src/flow/claim_notice.c):
-- an approved claim is announced on a public list per region and period for N working days
-- before it becomes payable; anyone authenticated may object during the period.
--
--   * notice_setting: the days (5 where nothing is set, the most common practice) and the mode —
--     per_claim (the approval's own transaction opens the claim's notice) or monthly (approved
--     claims wait for the region's list published at the month's end) — per policy, in a region
--     (a city's row covers its districts) or in all of them; versioned like sampling_setting
--     (0033): each set is a new row, the newest of the most specific scope is in force.
--   * notice_list: a monthly list (region, period YYYY-MM, first and last day); one per region
--     and period (publishing twice makes one list).
--   * claim.notice_*: the claim's own period (its list's, or its own when per_claim or after a
--     dismissed objection restarted it) and the period YYYY-MM it is listed under.  A claim in
--     notice or objected always has them (the CHECK), so the public list and the close never
--     meet a claim without dates.
--   * objection: who objected (token and account), why, optional evidence reference, and the
--     outcome; at most one open objection per claim (the partial unique index).  The claim goes
--     in_notice -> objected and back to the region's review queue (the queue's partial indexes
--     gain 'objected').
--   * The close (notice_elapsed) is one UPDATE over claim_notice_due with FOR UPDATE SKIP
--     LOCKED, so several daemons and subsidyctl may run it at once, each claim closed once.
CREATE TABLE notice_setting (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_id text NOT NULL CHECK (policy_id ~ '^[a-z0-9-]{1,63}$'),
    region    text REFERENCES region (code),  -- NULL: every region of the policy
    days      int NOT NULL CHECK (days BETWEEN 1 AND 60),
    mode      text NOT NULL CHECK (mode IN ('per_claim', 'monthly')),
    note      text CHECK (length(note) <= 200),
    set_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notice_setting_scope ON notice_setting (policy_id, region, id);
GRANT SELECT, INSERT ON notice_setting TO subsidy_app;

CREATE TABLE notice_list (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region       text NOT NULL REFERENCES region (code),
    period       text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    starts       date NOT NULL,
    ends         date NOT NULL CHECK (ends >= starts),
    days         int NOT NULL CHECK (days BETWEEN 1 AND 60),
    published_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (region, period)
);
GRANT SELECT, INSERT ON notice_list TO subsidy_app;

ALTER TABLE claim ADD COLUMN notice_starts date, ADD COLUMN notice_ends date,
    ADD COLUMN notice_period text CHECK (notice_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    ADD COLUMN notice_list_id bigint REFERENCES notice_list (id);
ALTER TABLE claim ADD CONSTRAINT claim_notice_dated CHECK ((state <> 'in_notice' AND state <> 'objected')
    OR (notice_starts IS NOT NULL AND notice_ends IS NOT NULL AND notice_ends >= notice_starts
        AND notice_period IS NOT NULL));
GRANT UPDATE (notice_starts, notice_ends, notice_period, notice_list_id) ON claim TO subsidy_app;

-- the public list's pages (region, period, id) and the close's scan (notice_ends)
CREATE INDEX claim_notice_public ON claim (region, notice_period, id)
    WHERE state IN ('in_notice', 'objected');
CREATE INDEX claim_notice_due ON claim (notice_ends, id) WHERE state = 'in_notice';
CREATE INDEX claim_notice_waiting ON claim (region, id) WHERE state = 'approved';

CREATE TABLE objection (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    claim_id         bigint NOT NULL REFERENCES claim (id),
    objector         bigint NOT NULL REFERENCES token (id),
    objector_account bigint REFERENCES account (id),
    reason           text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    evidence         text CHECK (length(evidence) BETWEEN 1 AND 500),
    state            text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'upheld', 'dismissed')),
    filed_at         timestamptz NOT NULL DEFAULT now(),
    decided_at       timestamptz,
    decided_by       bigint REFERENCES token (id),
    decision_reason  text CHECK (length(decision_reason) BETWEEN 1 AND 500),
    request_id       text NOT NULL,
    CHECK ((state = 'open') = (decided_at IS NULL)),
    CHECK ((state = 'open') = (decided_by IS NULL))
);
CREATE UNIQUE INDEX objection_one_open ON objection (claim_id) WHERE state = 'open';
CREATE INDEX objection_claim ON objection (claim_id, id);
GRANT SELECT, INSERT ON objection TO subsidy_app;
GRANT UPDATE (state, decided_at, decided_by, decision_reason) ON objection TO subsidy_app;

-- An objected claim waits in the review queue like the other waiting states (0023, 0029, 0032).
DROP INDEX claim_queue_due;
DROP INDEX claim_queue_submitted;
DROP INDEX claim_waiting_due;
CREATE INDEX claim_queue_due ON claim (region, review_due, id)
    WHERE state IN ('submitted', 'resubmitted', 'in_review', 'appealed', 'objected');
CREATE INDEX claim_queue_submitted ON claim (region, submitted_at, id)
    WHERE state IN ('submitted', 'resubmitted', 'in_review', 'appealed', 'objected');
CREATE INDEX claim_waiting_due ON claim (review_due, region)
    WHERE state IN ('submitted', 'resubmitted', 'in_review', 'appealed', 'objected');
