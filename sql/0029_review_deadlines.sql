-- 0029 deadlines (承诺时限, issue 13): the working days a review has, per policy and per region
-- (subsidyctl review-days set), for claims and for class filings' acceptance; the most specific
-- setting at submission wins (the region itself, then its city, then the policy's), the daemon's
-- --review-days / --class-accept-days without one.  The due date is counted on the working-day
-- calendar when the item is submitted and kept, as before.
CREATE TABLE review_days (
    kind       text NOT NULL CHECK (kind IN ('claim', 'class_filing')),
    policy_id  text NOT NULL CHECK (policy_id ~ '^[a-z0-9-]{1,63}$'),
    region     text REFERENCES region (code),  -- NULL: every region of the policy
    days       int NOT NULL CHECK (days BETWEEN 1 AND 250),
    note       text CHECK (length(note) <= 200),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX review_days_key ON review_days (kind, policy_id, coalesce(region, ''));
GRANT SELECT ON review_days TO subsidy_app;

-- The overdue figures of /metrics and the daily summary read the waiting items by due date
-- across regions: partial indexes on the waiting states only, as the queue's (0023).
CREATE INDEX claim_waiting_due ON claim (review_due, region)
    WHERE state IN ('submitted', 'resubmitted', 'in_review');
CREATE INDEX class_waiting_due ON class (deadline, region) WHERE state = 'filed';

-- Escalation: each region's named supervisor account (subsidyctl region-supervisor set), an
-- approver of the region or its city; an item overdue by more than the daemon's
-- --escalate-after-days working days is escalated to the supervisor of its region (else of its
-- city) once: the unique key holds it, the audit row says when.
CREATE TABLE region_supervisor (
    region     text PRIMARY KEY REFERENCES region (code),
    account_id bigint NOT NULL REFERENCES account (id),
    updated_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON region_supervisor TO subsidy_app;

CREATE TABLE review_escalation (
    kind         text NOT NULL CHECK (kind IN ('claim', 'class_filing')),
    object_id    bigint NOT NULL,
    region       text NOT NULL REFERENCES region (code),
    due          date NOT NULL,
    supervisor   bigint NOT NULL REFERENCES account (id),
    escalated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, object_id)
);
CREATE INDEX review_escalation_supervisor ON review_escalation (supervisor, escalated_at);
GRANT SELECT, INSERT ON review_escalation TO subsidy_app;
