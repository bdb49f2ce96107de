-- 0024 an approver's decisions on a claim (src/flow/claim_review.c; src/rules/domain/WORKFLOW.md
-- "Claim"): taken from the queue (受理, assigned to the taking approver for a while, so that two
-- officers do not work on one claim), then approved (judged again on the data as it is now),
-- rejected with reason codes, or returned for correction once with the complete list of what to
-- fix.  Each step's detail (the new judgement, the reasons, the list) is on the timeline.
ALTER TABLE claim
    ADD COLUMN assigned_token bigint,
    ADD COLUMN assigned_until timestamptz,
    ADD COLUMN return_fixes jsonb CHECK (return_fixes IS NULL OR jsonb_typeof(return_fixes) = 'array');
GRANT UPDATE (assigned_token, assigned_until, return_fixes, amount_fen, decision, catalog_id,
              updated_at) ON claim TO subsidy_app;
ALTER TABLE claim_event ADD COLUMN detail jsonb;
