-- 0035 notification outbox and webhooks (issue 14, "Outboxes to the systems around",
-- notifications): every step a person or an organisation must hear about writes an event to
-- notification_outbox in the transaction of the step itself, and the daemon's delivery worker
-- (src/http/notification_worker.c) posts it to the configured webhooks later, signed, retried
-- with back-off and dead-lettered after --webhook-max-attempts (README "Notifications").
--
-- The events are written by AFTER INSERT triggers on the timelines (claim_event, class_event),
-- not by each step's code: every step writes its timeline row in its own statement, so a trigger
-- covers every path (HTTP, bulk review, review jobs, subsidyctl, scheduled jobs) and the steps
-- still to come (public notice, objections, payment, clawback) without wiring, and a step that
-- is refused or rolled back writes no timeline row and so no event.  The events, and why:
--   claim.returned        补正: the owner must fix the claim (the list of fixes is on it)
--   claim.approved        the decision, and the start of what follows (notice, payment)
--   claim.rejected        the decision with its reasons; the appeal period (复议) starts
--   claim.in_notice       公示: the claim is on the public list, open to objections
--   claim.objected        an objection moved the claim (objection by state or by action)
--   claim.payable         the notice period elapsed with no open objection (待拨付)
--   claim.paid            the money went out (已拨付)
--   claim.false_commitment a sampled 告知承诺 claim found false (sql/0033): rejected and a
--                         clawback due, not an ordinary rejection
--   claim.clawback        a recovery order (追回) against a paid claim
--   class.accepted        to the institution: its filing (开班备案) was accepted
--   class.rejected        to the institution: its filing was refused
-- A step that leaves the state as it was (take, release, assign, payment_hold, edits) is not an
-- event.  The recipient is the claim's owner (the applicant by the keyed hash of the ID number,
-- the same subject their token has, or the enterprise by its credit code) or the class's
-- institution.  The payload names the claim or class by id with what the owner already sees of
-- it in GET /v1/claims (masked ID number, never a name, full ID number or phone); the approver's
-- reason is the owner's to read.
--
-- Delivery is at least once: a row stays pending until every enabled webhook that wants its kind
-- answered 2xx (delivered_to remembers who did, so a retry posts only to the others); a worker
-- takes a due row with FOR UPDATE SKIP LOCKED and leases it (next_attempt_at moved past the
-- posts' timeouts) in a short transaction, posts with no transaction open, and settles it; a
-- daemon killed in between leaves the lease to expire and the row is posted again, with the same
-- event id (X-Subsidyd-Event-Id, the row's id), for the receiver to drop the duplicate.
-- The webhook's secret is sealed with the service key (src/util/pii.c) before it reaches the
-- database, as personal data is: the database alone cannot sign.

CREATE TABLE webhook (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url           text NOT NULL CHECK (url ~ '^https?://[!-~]+$' AND length(url) <= 2000),
    secret_sealed bytea NOT NULL,
    -- the event kinds it wants; NULL: every kind
    events        text[] CHECK (events IS NULL OR cardinality(events) BETWEEN 1 AND 16),
    enabled       boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz,
    CHECK (enabled = (disabled_at IS NULL))
);
GRANT SELECT ON webhook TO subsidy_app;

CREATE TABLE notification_outbox (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at        timestamptz NOT NULL DEFAULT now(),
    kind              text NOT NULL CHECK (kind IN ('claim.returned', 'claim.approved',
                          'claim.rejected', 'claim.in_notice', 'claim.objected',
                          'claim.payable', 'claim.paid', 'claim.false_commitment',
                          'claim.clawback', 'class.accepted', 'class.rejected')),
    claim_id          bigint,
    class_id          bigint,
    -- the timeline row (claim_event or class_event) the event is about: one event each
    step_id           bigint NOT NULL,
    recipient_role    text NOT NULL CHECK (recipient_role IN ('applicant', 'enterprise',
                          'institution')),
    recipient_subject text NOT NULL CHECK (length(recipient_subject) BETWEEN 1 AND 64),
    payload           jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    state             text NOT NULL DEFAULT 'pending'
                      CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts          int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at   timestamptz NOT NULL DEFAULT now(),
    delivered_to      bigint[] NOT NULL DEFAULT '{}',  -- webhook ids that answered 2xx
    delivered_at      timestamptz,
    last_error        text CHECK (length(last_error) <= 300),
    CHECK ((claim_id IS NULL) <> (class_id IS NULL)),
    CHECK ((state = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE UNIQUE INDEX notification_outbox_claim_step ON notification_outbox (step_id)
    WHERE claim_id IS NOT NULL;
CREATE UNIQUE INDEX notification_outbox_class_step ON notification_outbox (step_id)
    WHERE class_id IS NOT NULL;
CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at, id)
    WHERE state = 'pending';
CREATE INDEX notification_outbox_state ON notification_outbox (state, id);
GRANT SELECT, INSERT ON notification_outbox TO subsidy_app;
GRANT UPDATE (state, attempts, next_attempt_at, delivered_to, delivered_at, last_error)
    ON notification_outbox TO subsidy_app;

-- The kind of event a claim's timeline row is, or NULL when nobody must hear of it.
CREATE FUNCTION notification_claim_kind(action text, from_state text, to_state text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN action LIKE 'clawback%' THEN 'claim.clawback'
        WHEN action = 'verify' AND to_state = 'rejected' THEN 'claim.false_commitment'
        WHEN action IN ('object', 'objection') OR (to_state = 'objected'
             AND from_state IS DISTINCT FROM to_state) THEN 'claim.objected'
        WHEN from_state IS DISTINCT FROM to_state AND to_state IN ('returned', 'approved',
             'rejected', 'in_notice', 'payable', 'paid') THEN 'claim.' || to_state
    END
$$;

CREATE FUNCTION notification_on_claim_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k text := notification_claim_kind(NEW.action, NEW.from_state, NEW.to_state);
BEGIN
    INSERT INTO notification_outbox (kind, claim_id, step_id, recipient_role, recipient_subject,
                                     payload)
    SELECT k, c.id, NEW.id, c.owner_role, c.owner_subject,
           jsonb_build_object(
               'claim', jsonb_build_object('id', c.id, 'state', NEW.to_state,
                   'from_state', NEW.from_state, 'region', c.region, 'kind', c.kind,
                   'occupation', c.occupation, 'level', c.level, 'year', c.year,
                   'amount_fen', NEW.amount_fen, 'policy_id', NEW.policy_id,
                   'id_number_masked', p.id_masked,
                   'employer', CASE WHEN c.owner_role = 'enterprise' THEN c.owner_subject END),
               'step', jsonb_build_object('id', NEW.id, 'action', NEW.action,
                   'at', to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   'reason', NEW.reason))
      FROM claim c JOIN person p ON p.id = c.person_id
     WHERE c.id = NEW.claim_id;
    RETURN NULL;
END
$$;
-- The WHEN clause keeps the function out of the steps that are no event (a submission, a take):
-- the submission path pays for one immutable SQL expression, not a PL/pgSQL call.
CREATE TRIGGER notification_on_claim_event AFTER INSERT ON claim_event
    FOR EACH ROW WHEN (notification_claim_kind(NEW.action, NEW.from_state, NEW.to_state)
                       IS NOT NULL)
    EXECUTE FUNCTION notification_on_claim_event();

CREATE FUNCTION notification_on_class_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO notification_outbox (kind, class_id, step_id, recipient_role, recipient_subject,
                                     payload)
    SELECT 'class.' || NEW.to_state, k.id, NEW.id, 'institution', k.institution,
           jsonb_build_object(
               'class', jsonb_build_object('id', k.id, 'state', NEW.to_state,
                   'from_state', NEW.from_state, 'region', k.region, 'kind', k.kind,
                   'occupation', k.occupation, 'level', k.level, 'project_code', k.project_code,
                   'start_date', k.start_date::text, 'end_date', k.end_date::text),
               'step', jsonb_build_object('id', NEW.id, 'action', NEW.action,
                   'at', to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   'reason', NEW.reason))
      FROM class k
     WHERE k.id = NEW.class_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER notification_on_class_event AFTER INSERT ON class_event
    FOR EACH ROW WHEN (NEW.from_state IS DISTINCT FROM NEW.to_state
                       AND NEW.to_state IN ('accepted', 'rejected'))
    EXECUTE FUNCTION notification_on_class_event();
