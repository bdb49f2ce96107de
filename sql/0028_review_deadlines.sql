-- 0028 deadlines (承诺时限, issue 13): the working days a review has, per policy and per region
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
