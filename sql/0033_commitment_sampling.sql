-- 0033 sampling of 告知承诺 claims (notification-and-commitment, Ningbo 五(二), issue 13): a
-- commitment claim skips the document check except a sample, drawn reproducibly in the
-- submission's transaction.  What and why:
--   sampling_setting: per policy and region (NULL: every region of the policy) the random share
--     in basis points and the amount in fen above which every commitment claim is sampled.
--     Versioned: subsidyctl sampling set inserts a new row with a fresh random seed, never
--     updates one; the newest row of the most specific scope (the region, its city, the policy)
--     at submission decides, and the claim records which row it was.
--   sampling_draw(seed, claim id): the first 32 bits of sha256(seed || ':' || id) mod 10000, so
--     anyone holding the recorded seed can reproduce the draw with PostgreSQL alone.
--   claim_sample: one row per commitment claim drawn (sampled or not: the draw is recorded
--     either way); a sampled claim is not payable until a verification row says 'confirmed'.
--     A claim with no setting in force is sampled at 100% (fail safe): setting_id NULL, reason
--     'no_setting'.
--   claim.clawback_due: a false commitment found after money may have moved; the disbursement
--     issue builds clawbacks on it.
CREATE TABLE sampling_setting (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_id   text NOT NULL CHECK (policy_id ~ '^[a-z0-9-]{1,63}$'),
    region      text REFERENCES region (code),  -- NULL: every region of the policy
    percent_bp  int NOT NULL CHECK (percent_bp BETWEEN 0 AND 10000),
    above_fen   bigint NOT NULL CHECK (above_fen BETWEEN 0 AND 100000000000),
    seed        bytea NOT NULL CHECK (length(seed) = 32),
    note        text CHECK (length(note) <= 200),
    set_by      bigint REFERENCES account (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- The setting in force: the newest row of a scope.
CREATE INDEX sampling_setting_scope
    ON sampling_setting (policy_id, coalesce(region, ''), id DESC);
GRANT SELECT ON sampling_setting TO subsidy_app;

CREATE FUNCTION sampling_draw(seed bytea, claim_id bigint) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (('x' || substr(encode(sha256(seed || convert_to(':' || claim_id::text, 'UTF8')),
                                  'hex'), 1, 8))::bit(32)::bigint % 10000)::int
$$;

CREATE TABLE claim_sample (
    claim_id      bigint PRIMARY KEY REFERENCES claim (id),
    setting_id    bigint REFERENCES sampling_setting (id),  -- NULL: no setting in force
    draw          int CHECK (draw BETWEEN 0 AND 9999),
    percent_bp    int CHECK (percent_bp BETWEEN 0 AND 10000),
    above_fen     bigint CHECK (above_fen >= 0),
    sampled       boolean NOT NULL,
    reasons       text CHECK (reasons IN ('random', 'amount', 'both', 'no_setting')),
    outcome       text CHECK (outcome IN ('confirmed', 'false_commitment')),
    verified_by   bigint,  -- the verifying approver's token id (as claim_event.actor)
    verified_at   timestamptz,
    note          text CHECK (length(note) <= 500),
    drawn_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (sampled = (reasons IS NOT NULL)),
    CHECK ((setting_id IS NULL) = (reasons IS NOT DISTINCT FROM 'no_setting')),
    CHECK (setting_id IS NULL OR draw IS NOT NULL),
    CHECK (outcome IS NULL OR (sampled AND verified_by IS NOT NULL AND verified_at IS NOT NULL))
);
-- The queue's "sampled only" filter and its counts.
CREATE INDEX claim_sample_unverified ON claim_sample (claim_id) WHERE sampled AND outcome IS NULL;
GRANT SELECT, INSERT ON claim_sample TO subsidy_app;
GRANT UPDATE (outcome, verified_by, verified_at, note) ON claim_sample TO subsidy_app;

ALTER TABLE claim ADD COLUMN commitment boolean NOT NULL DEFAULT false;
ALTER TABLE claim ADD COLUMN clawback_due boolean NOT NULL DEFAULT false;
GRANT UPDATE (commitment, clawback_due) ON claim TO subsidy_app;

-- A sampled claim is not payable until verified: the hold of 0030 (payment_hold), with its own
-- value.  The draw is inserted by the submission's own statement (claim.c, one round trip), in
-- which the claim row is new: a second CTE may not update that row, so the hold is set by this
-- trigger, which runs after the statement with its timeline row.  Verification lifts it
-- ('confirmed') or rejects the claim ('false_commitment'); nothing else does.
ALTER TABLE claim DROP CONSTRAINT claim_payment_hold_check;
ALTER TABLE claim ADD CONSTRAINT claim_payment_hold_check
    CHECK (payment_hold IN ('certificate_revoked', 'commitment_sample'));

CREATE FUNCTION claim_hold_on_sample() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH h AS (
        UPDATE claim c SET payment_hold = 'commitment_sample'
         WHERE c.id = NEW.claim_id AND c.state <> 'paid' AND c.payment_hold IS NULL
        RETURNING c.id, c.state, c.owner_role)
    INSERT INTO claim_event (claim_id, actor, actor_role, action, from_state, to_state, reason)
    SELECT h.id, NULL, h.owner_role, 'payment_hold', h.state, h.state,
           'commitment_sample: ' || NEW.reasons
      FROM h;
    RETURN NULL;
END
$$;
CREATE TRIGGER claim_hold_on_sample
    AFTER INSERT ON claim_sample
    FOR EACH ROW WHEN (NEW.sampled)
    EXECUTE FUNCTION claim_hold_on_sample();
