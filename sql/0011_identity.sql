-- 0011 identity: who an account is, and what happens to drafts.
--
-- A claim withdrawn before it was ever submitted has no year, policy or decision: it is allowed
-- as such (the workflow lets a draft be withdrawn).  A draft may also be deleted by its owner:
-- the claim and its timeline rows go (nobody but the owner ever saw them); the audit row of the
-- deletion, like every audit row, stays.
--
-- A subject (role + subject) belongs to at most one account: disabling the account stops every
-- token of that subject, with or without the account (token_select_by_hash.c).  An applicant's
-- subject is the keyed hash (hex) of the person's ID number, the same hash person.id_hash
-- holds, so the ID number itself never reaches the database; the masked ID number is kept
-- beside it for display (subject_masked), on the account and on the token.  Applicant accounts
-- and tokens made before this migration keep their old subjects: re-issue them (the hashing key
-- is outside the database, so SQL cannot convert them).

ALTER TABLE claim DROP CONSTRAINT claim_check;
ALTER TABLE claim ADD CONSTRAINT claim_decided CHECK (
    state = 'draft'
    OR (state = 'withdrawn' AND submitted_at IS NULL)
    OR (year IS NOT NULL AND policy_id IS NOT NULL AND decision IS NOT NULL));
GRANT DELETE ON claim, claim_event TO subsidy_app;

CREATE UNIQUE INDEX account_subject ON account (role, subject) WHERE subject IS NOT NULL;
ALTER TABLE account
    ADD COLUMN subject_masked text CHECK (subject_masked ~ '^[0-9]{6}\*{8}[0-9]{3}[0-9X]$');
ALTER TABLE token
    ADD COLUMN subject_masked text CHECK (subject_masked ~ '^[0-9]{6}\*{8}[0-9]{3}[0-9X]$');
