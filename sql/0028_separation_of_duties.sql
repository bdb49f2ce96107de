-- 0028 separation of duties (issue 13 "Separation of duties"): an approver's account declares
-- the approver's own interests — their person (the keyed hash of their resident ID number, as an
-- applicant's subject is kept, and its masked form) and their employer (a unified social credit
-- code) — so that the decision's transaction can refuse a step on a claim about the approver
-- themselves, one they submitted, or one of their employer's (its owner or the employer it names).
ALTER TABLE account
    ADD COLUMN person_hash   text CHECK (person_hash ~ '^[0-9a-f]{64}$'),
    ADD COLUMN person_masked text CHECK (person_masked ~ '^[0-9]{6}\*{8}[0-9]{3}[0-9X]$'),
    ADD COLUMN employer      text CHECK (employer ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    ADD CONSTRAINT account_interests_approver
        CHECK ((person_hash IS NULL AND employer IS NULL) OR role = 'approver'),
    ADD CONSTRAINT account_person_masked CHECK ((person_hash IS NULL) = (person_masked IS NULL));
GRANT UPDATE (person_hash, person_masked, employer) ON account TO subsidy_app;
