-- 0032 appeal (复议) of a rejected claim (src/flow/claim_appeal.c; issue 13 "Decisions"): the
-- owner may appeal a rejection once, within the daemon's --appeal-days of it (行政复议法第二十条),
-- naming the rejection's timeline event; the claim waits as 'appealed' (not live: the rejection
-- gave its quota place back) in the approvers' queue, with a review deadline like the other
-- waiting states, until an approver other than the one who rejected it overturns it (an
-- approval, judged again, taking a quota place again) or upholds the rejection (rejected, then
-- final).  Everything about the appeal is on the timeline (the 'appeal' event's detail: the
-- decision appealed and the reason), so the claim gains no column; the state's CHECK and the
-- waiting states' partial indexes (0023, 0029) gain 'appealed'.
DO $$
DECLARE n text;
BEGIN
    SELECT conname INTO n FROM pg_constraint
     WHERE conrelid = 'claim'::regclass AND contype = 'c'
       AND pg_get_constraintdef(oid) LIKE '%''withdrawn''%'
       AND pg_get_constraintdef(oid) LIKE '%''in_notice''%';
    EXECUTE format('ALTER TABLE claim DROP CONSTRAINT %I', n);
END
$$;
ALTER TABLE claim ADD CONSTRAINT claim_state_known CHECK (state IN ('draft', 'submitted',
    'in_review', 'returned', 'resubmitted', 'approved', 'in_notice', 'objected', 'payable', 'paid',
    'rejected', 'withdrawn', 'appealed'));

-- Not live: the rejection gave the quota place back and an overturn takes it again
-- (sr_claim_state_is_live).  No claim is appealed yet, so the indexes on live states
-- (claim_same_key, claim_once_per_year, claim_certificate_once) stay right.
CREATE OR REPLACE FUNCTION claim_state_live(state text) RETURNS boolean LANGUAGE sql IMMUTABLE
PARALLEL SAFE AS $$
    SELECT state NOT IN ('draft', 'rejected', 'withdrawn', 'appealed')
$$;

DROP INDEX claim_queue_due;
DROP INDEX claim_queue_submitted;
DROP INDEX claim_waiting_due;
CREATE INDEX claim_queue_due ON claim (region, review_due, id)
    WHERE state IN ('submitted', 'resubmitted', 'in_review', 'appealed');
CREATE INDEX claim_queue_submitted ON claim (region, submitted_at, id)
    WHERE state IN ('submitted', 'resubmitted', 'in_review', 'appealed');
CREATE INDEX claim_waiting_due ON claim (review_due, region)
    WHERE state IN ('submitted', 'resubmitted', 'in_review', 'appealed');

