-- 0031 the owner's answer to a review (src/flow/claim_resubmit.c; issue 13 "Decisions"): a
-- returned claim is edited and resubmitted, judged again; the input as it stood when returned is
-- kept, so that a resubmission that changed none of the fields the return named is refused.
ALTER TABLE claim ADD COLUMN returned_input jsonb;
GRANT UPDATE (returned_input) ON claim TO subsidy_app;
