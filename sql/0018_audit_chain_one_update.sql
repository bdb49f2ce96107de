-- 0018 audit rows chained with one UPDATE per call instead of one per row: 0015's audit_chain()
-- ran an UPDATE statement for every row it linked, and under load that cost PostgreSQL about
-- as much per audit row as a submission's own statements (pg_stat_statements with track = all
-- in tests/bench/claims/run.sh: 0.2 ms a row).  The links are computed as before, row by row
-- in id order after each chain's head, with the same digest (audit_digest_v2), into arrays;
-- one UPDATE writes them all.  Same signature, same guarantees: one caller at a time (the
-- others return 0), the heads moved in the same transaction as the rows.
CREATE OR REPLACE FUNCTION audit_chain(max_rows int DEFAULT 5000) RETURNS int LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public AS $$
DECLARE
    r         record;
    seqs      bigint[];
    hashes    bytea[];
    s         bigint;
    h         bytea;
    n         int := 0;
    ids       bigint[] := '{}';
    new_seqs  bigint[] := '{}';
    prevs     bytea[] := '{}';
    new_hashes bytea[] := '{}';
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('subsidyd audit_chain')) THEN
        RETURN 0;
    END IF;
    SELECT array_agg(x.seq ORDER BY x.chain), array_agg(x.hash ORDER BY x.chain)
      INTO seqs, hashes
      FROM (SELECT * FROM audit_head ORDER BY chain FOR UPDATE) AS x;
    FOR r IN SELECT a.id, a.chain, a.at, a.actor, a.action, a.object_kind, a.object_id,
                    a.before, a.after, a.request_id
               FROM audit a WHERE a.seq IS NULL ORDER BY a.id LIMIT max_rows LOOP
        s := seqs[r.chain + 1] + 1;
        h := audit_digest_v2(hashes[r.chain + 1], r.id, r.chain, s, r.at, r.actor, r.action,
                             r.object_kind, r.object_id, r.before, r.after, r.request_id);
        ids := ids || r.id;
        new_seqs := new_seqs || s;
        prevs := prevs || hashes[r.chain + 1];
        new_hashes := new_hashes || h;
        seqs[r.chain + 1] := s;
        hashes[r.chain + 1] := h;
        n := n + 1;
    END LOOP;
    IF n > 0 THEN
        UPDATE audit a SET seq = u.seq, prev_hash = u.prev, hash = u.hash
          FROM unnest(ids, new_seqs, prevs, new_hashes) AS u(id, seq, prev, hash)
         WHERE a.id = u.id;
        UPDATE audit_head SET seq = seqs[audit_head.chain + 1], hash = hashes[audit_head.chain + 1],
                              chained_at = now()
         WHERE audit_head.seq <> seqs[audit_head.chain + 1];
    END IF;
    RETURN n;
END
$$;
REVOKE ALL ON FUNCTION audit_chain(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_chain(int) TO subsidy_app;
