-- 0015 audit rows chained after commit: the trigger of 0003 locked the chain head of every
-- writing transaction until its COMMIT, so that writers to one chain queued on each other (and
-- every submission on one of 16 locks).  Rows are now inserted unchained (seq, prev_hash and hash
-- NULL), and audit_chain() links the committed ones into their chains shortly after: the daemon
-- calls it from a background thread every few hundred milliseconds, `subsidyctl audit verify`
-- before it checks, and several callers at once are safe (one runs, the others return 0).
--
-- What a chained row's hash covers from now on: its id as well as everything 0003's digest
-- covered, so that a change of any column of a chained row is found.  Rows chained before this
-- migration keep 0003's digest; audit_head.v2_from says, per chain, from which seq on the new one
-- applies.  The service's role still may only insert and read the log (0003's grants).

ALTER TABLE audit
    ALTER COLUMN seq DROP NOT NULL,
    ALTER COLUMN prev_hash DROP NOT NULL,
    ALTER COLUMN hash DROP NOT NULL,
    ADD CONSTRAINT audit_chained_whole
        CHECK ((seq IS NULL) = (prev_hash IS NULL) AND (seq IS NULL) = (hash IS NULL));
CREATE INDEX audit_unchained ON audit (id) WHERE seq IS NULL;

ALTER TABLE audit_head
    ADD COLUMN v2_from bigint,
    ADD COLUMN chained_at timestamptz;
UPDATE audit_head SET v2_from = seq + 1;
ALTER TABLE audit_head ALTER COLUMN v2_from SET NOT NULL;

CREATE FUNCTION audit_digest_v2(prev bytea, id bigint, chain smallint, seq bigint,
                                at timestamptz, actor bigint, action text, object_kind text,
                                object_id text, before jsonb, after jsonb, request_id text)
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(prev || convert_to(concat_ws(chr(31), 'v2', id, chain, seq,
        to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), coalesce(actor::text, '-'),
        action, object_kind, object_id, coalesce(before::text, '-'), coalesce(after::text, '-'),
        coalesce(request_id, '-')), 'UTF8'))
$$;

-- The insert trigger only files the row: its chain by object, its time; never a link.
CREATE OR REPLACE FUNCTION audit_link() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
BEGIN
    NEW.chain := abs(hashtext(NEW.object_kind || ':' || NEW.object_id)) % 16;
    NEW.at := now();
    NEW.seq := NULL;
    NEW.prev_hash := NULL;
    NEW.hash := NULL;
    RETURN NEW;
END
$$;

-- Link at most max_rows committed unchained rows, in the order of their ids, each after its
-- chain's head; returns how many.  Another caller holding the lock: returns 0 at once.
CREATE FUNCTION audit_chain(max_rows int DEFAULT 5000) RETURNS int LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public AS $$
DECLARE
    r       audit%ROWTYPE;
    seqs    bigint[];
    hashes  bytea[];
    s       bigint;
    h       bytea;
    n       int := 0;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('subsidyd audit_chain')) THEN
        RETURN 0;
    END IF;
    SELECT array_agg(x.seq ORDER BY x.chain), array_agg(x.hash ORDER BY x.chain)
      INTO seqs, hashes
      FROM (SELECT * FROM audit_head ORDER BY chain FOR UPDATE) AS x;
    FOR r IN SELECT * FROM audit WHERE audit.seq IS NULL ORDER BY audit.id LIMIT max_rows LOOP
        s := seqs[r.chain + 1] + 1;
        h := audit_digest_v2(hashes[r.chain + 1], r.id, r.chain, s, r.at, r.actor, r.action,
                             r.object_kind, r.object_id, r.before, r.after, r.request_id);
        UPDATE audit SET seq = s, prev_hash = hashes[r.chain + 1], hash = h WHERE audit.id = r.id;
        seqs[r.chain + 1] := s;
        hashes[r.chain + 1] := h;
        n := n + 1;
    END LOOP;
    IF n > 0 THEN
        UPDATE audit_head SET seq = seqs[audit_head.chain + 1], hash = hashes[audit_head.chain + 1],
                              chained_at = now()
         WHERE audit_head.seq <> seqs[audit_head.chain + 1];
    END IF;
    RETURN n;
END
$$;
REVOKE ALL ON FUNCTION audit_chain(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_chain(int) TO subsidy_app;
