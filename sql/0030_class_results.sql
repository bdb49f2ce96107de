-- 0030 assessment results (考核鉴定 / 等级认定) of a completed class (issue 12): per trainee of
-- the roster who passed completion, the certificate the assessment gave — kind, number, level,
-- issue date and the registered evaluation body (0020) that issued it.  Recording them moves the
-- class completed -> assessed (sr_workflow), so a class has one set of results.  A certificate is
-- recorded once (kind and number, spelled as certificate and certificate_record spell them).  A
-- result from a body suspended, or on the black list on the issue date, is kept but held for
-- review (not payable): held says so and hold_reason why.
CREATE TABLE class_result (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    class_id    bigint NOT NULL REFERENCES class (id),
    entry_id    bigint NOT NULL UNIQUE REFERENCES class_roster_entry (id),
    row_no      int NOT NULL CHECK (row_no BETWEEN 1 AND 10000),  -- of the upload
    kind        text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    number      text NOT NULL CHECK (number = upper(btrim(number)) AND length(number) BETWEEN 1 AND 64),
    level       text NOT NULL CHECK (level IN ('special_ability', 'level5', 'level4', 'level3',
                    'level2', 'level1', 'training_pass', 'special_operation')),
    issue_date  date NOT NULL,
    body_code   text NOT NULL REFERENCES evaluation_body (credit_code),
    held        boolean NOT NULL,
    hold_reason text CHECK (hold_reason IN ('body_suspended', 'body_black_listed')),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    recorded_by bigint,  -- token id
    CHECK (held = (hold_reason IS NOT NULL))
);
CREATE UNIQUE INDEX class_result_certificate ON class_result (kind, number);
CREATE INDEX class_result_class ON class_result (class_id, row_no);
-- Results are records: inserted, never changed.
GRANT SELECT, INSERT ON class_result TO subsidy_app;

-- A certificate the appraisal system marks revoked (certificate_record, 0020) stops its unpaid
-- claims: each live claim on a certificate of that kind and number not yet paid is held
-- (payment_hold), in the statement that writes the record, with a timeline entry; the approver
-- sees the hold on the claim and in the review queue.  A paid claim is never held (the CHECK),
-- and a hold is never lifted by the service (a valid record sent again does not pay).
ALTER TABLE claim ADD COLUMN payment_hold text
    CHECK (payment_hold IN ('certificate_revoked'));
ALTER TABLE claim ADD CONSTRAINT claim_paid_never_held CHECK (state <> 'paid' OR payment_hold IS NULL);
GRANT UPDATE (payment_hold) ON claim TO subsidy_app;

CREATE FUNCTION claim_hold_on_revoked_certificate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH h AS (
        UPDATE claim c SET payment_hold = 'certificate_revoked'
          FROM certificate k
         WHERE k.id = c.certificate_id AND k.kind = NEW.kind AND k.number = NEW.number
           AND claim_state_live(c.state) AND c.state <> 'paid' AND c.payment_hold IS NULL
        RETURNING c.id, c.state)
    INSERT INTO claim_event (claim_id, actor, actor_role, action, from_state, to_state, reason)
    SELECT h.id, NEW.imported_by, 'admin', 'payment_hold', h.state, h.state,
           'certificate_revoked: ' || NEW.kind || ' ' || NEW.number
      FROM h;
    RETURN NULL;
END
$$;
CREATE TRIGGER claim_hold_on_revoked_certificate
    AFTER INSERT OR UPDATE OF status ON certificate_record
    FOR EACH ROW WHEN (NEW.status = 'revoked')
    EXECUTE FUNCTION claim_hold_on_revoked_certificate();
