-- 0023 the approvers' queue of claims (GET /v1/review/claims, src/db/review_queue.c): the
-- claims awaiting a decision in a region, read in deadline order (承诺时限) or in the order they
-- were submitted, a keyset page at a time.  Partial indexes: only the waiting states, so that
-- decided claims — most of the table — cost the queue nothing.
CREATE INDEX claim_queue_due ON claim (region, review_due, id)
    WHERE state IN ('submitted', 'resubmitted', 'in_review');
CREATE INDEX claim_queue_submitted ON claim (region, submitted_at, id)
    WHERE state IN ('submitted', 'resubmitted', 'in_review');
